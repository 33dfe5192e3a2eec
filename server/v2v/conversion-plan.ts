// The shape of a conversion plan: what `planConversion` (plan.ts) decides, what a dry run shows,
// what `ferry plan` prints as JSON, what the engine's stages execute and what a conversion row
// stores. Pure data (JSON-serialisable: no Secret, no functions), so a plan can be stored and
// re-used by a retry without re-planning.
import type { GuestFacts } from "./guest-facts.ts";
import type { NetworkRule, DefaultSource, Nic } from "./network-map.ts";
import type { SoftwarePlan } from "./software-plan.ts";
import type { TransferIsoContents } from "./transfer-iso.ts";

export const PLAN_VERSION = 1;

export type OutputMethod = "libvirt" | "local" | "rhev";

/** What the source disk is, measured on the agent (qemu-img info) before planning. */
export type MeasuredDisk = {
  /** The source path as the domain XML gives it. */
  path: string;
  /** The format qemu-img reports (or the XML states). */
  format: string;
  /** Virtual size in bytes. */
  virtualSize: number;
  /** Bytes allocated on the host (qemu-img's actual-size), when known. */
  actualSize?: number | undefined;
};

/**
 * Facts about the output side the planner takes as input (the agent reads them; tests write
 * them): a libvirt pool's target directory, the networks and bridges that exist.
 */
export type OutputTarget = {
  method: OutputMethod;
  /** -oc for libvirt (default qemu:///system). */
  uri?: string | undefined;
  /** -os: a pool name (libvirt), a directory (local), a mounted export domain path (rhev). */
  storage: string;
  /** libvirt: the pool's type and target directory (pool-dumpxml); undefined = unknown. */
  pool?: { name: string; type: string; path: string } | undefined;
  /** libvirt: networks and host bridges the target has; undefined = not checked. */
  networks?: string[] | undefined;
  bridges?: string[] | undefined;
  /** rhev: the storage domain UUID directory found under `storage`. */
  rhevDomain?: string | undefined;
  /** libvirt: the names of the domains already defined there; undefined = not checked. */
  domains?: string[] | undefined;
};

export type PlannedDisk = {
  /** Index in the source guest's disk order (sorted as virt-v2v sorts them). */
  index: number;
  source: { path: string; target: string; bus: string | undefined; format: string; virtualSize: number; actualSize?: number | undefined };
  /** The volume / file name written on the target. */
  name: string;
  /** Absolute path the copy stage writes to. */
  targetPath: string;
  /** The guest device in the output XML: vda.. (virtio) or hda.. (ide). */
  targetDev: string;
  bus: "virtio" | "ide";
  format: "raw" | "qcow2";
  allocation: "sparse" | "preallocated";
  /** rhev: image and volume UUIDs; the .meta file's path and text (the output stage writes it as is). */
  rhev?: { imageId: string; volumeId: string; metaPath?: string | undefined; meta?: string | undefined } | undefined;
  /** Index of the disk in the source guest's disk list (document order). */
  sourceIndex?: number | undefined;
  /** Bytes the output volume gets: the virtual size, rounded up to 1 KiB (libvirt) or 512 (rhev). */
  capacity?: number | undefined;
  /** `block` for volumes in logical/disk/iscsi pools (the XML then says `<source dev=...>`). */
  volumeType?: "file" | "block" | undefined;
};

export type PlannedNic = {
  mac: string | undefined;
  from: Nic;
  to: Nic;
  rule: NetworkRule;
  defaultSource?: DefaultSource | undefined;
  /** The configuration layer (file name) holding the mapping used, if any. */
  file?: string | undefined;
  /** The NIC model in the output guest. */
  model: "virtio" | "e1000" | "rtl8139";
};

export type DriverChoice = {
  block: "virtio" | "ide";
  net: "virtio" | "e1000" | "rtl8139";
  /** Plain words: why (e.g. "the virtio capability is satisfied by kernel 2.6.18-164.el5"). */
  reason: string;
};

export type ConversionPlan = {
  version: typeof PLAN_VERSION;
  guest: {
    name: string;
    sourceType: string;
    memoryKiB: number;
    vcpus: number;
    arch: string;
    facts: GuestFacts;
  };
  output: {
    method: OutputMethod;
    uri?: string | undefined;
    storage: string;
    format: "raw" | "qcow2";
    allocation: "sparse" | "preallocated";
    /** The profile used (-p), with the layer it came from. */
    profile?: { name: string; file: string } | undefined;
    /** The output guest's name (-on, else the source name). */
    name?: string | undefined;
    /** Where format and allocation came from: -of/-oa, the profile, or each source disk. */
    formatFrom?: "cli" | "profile" | "source" | undefined;
    allocationFrom?: "cli" | "profile" | "source" | undefined;
    /** The libvirt domain type written (kvm; qemu where the host cannot run kvm). */
    domainType?: "kvm" | "qemu" | undefined;
    /** libvirt: the pool the volumes go to. */
    pool?: { name: string; type: string; path: string } | undefined;
    /** local: the domain XML file written beside the disks (DIR/NAME.xml). */
    xmlPath?: string | undefined;
    /** rhev: the storage domain UUID directory under the export path. */
    rhevDomain?: string | undefined;
  };
  disks: PlannedDisk[];
  nics: PlannedNic[];
  drivers: DriverChoice;
  /** Linux: the virtio capability's software plan (null: none needed / not Linux). */
  software: SoftwarePlan | null;
  /** Windows: the host directories/files the conversion uses (VIRTIO_WIN etc.). */
  windows?: { virtio?: string | undefined; rhsrvany?: string | undefined; firstboot?: string | undefined } | undefined;
  transferIso: TransferIsoContents;
  /** The output guest: libvirt domain XML (libvirt, local) ... */
  domainXml?: string | undefined;
  /** ... or the RHEV OVF (rhev), with its VM UUID. */
  ovf?: { vmId: string; xml: string; path?: string | undefined } | undefined;
  /** The configuration revisions the plan was made from: [{ layer, revision }]. */
  config?: { file: string; revision?: number | undefined }[] | undefined;
  warnings: string[];
};
