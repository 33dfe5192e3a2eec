// The RHEV export-domain OVF for the output guest, as virt-v2v 0.9.1's RHEVTarget writes it
// (reference §3.7): References (one File per volume), NetworkSection, DiskSection, then
// Content with the OS section and the virtual hardware (CPU, memory, USB, graphics, disks,
// NICs). Written to STORAGE/SD-UUID/master/vms/VM-UUID/VM-UUID.ovf.
import type { PlannedDisk, PlannedNic } from "./conversion-plan.ts";
import type { GuestFacts } from "./guest-facts.ts";
import { el, renderXml, type XmlNode } from "./plan-xml.ts";

const ZERO_UUID = "00000000-0000-0000-0000-000000000000";
const GiB = 1024 ** 3;

export type OvfInput = {
  vmId: string;
  storageDomain: string;
  name: string;
  memoryKiB: number;
  vcpus: number;
  facts: GuestFacts;
  /** `server` (1) or `desktop` (0). */
  vmType: "server" | "desktop";
  disks: readonly PlannedDisk[];
  nics: readonly PlannedNic[];
  /** Seconds since the epoch: the creation dates. */
  now: number;
  warnings: string[];
};

/** RHEV's OS names (RHEVTarget _get_os_type): RHEL5x64, OtherLinux, Windows2008R2x64, Unassigned... */
export function rhevOsType(facts: GuestFacts, warnings: string[]): string {
  const arch = facts.arch;
  let suffix = "";
  if (arch === "x86_64") suffix = "x64";
  else if (arch !== "i386") {
    warnings.push(`Unsupported architecture: ${arch ?? "unknown"}`);
    return "Unassigned";
  }
  if (facts.os === "linux") {
    const major = Number(facts.major);
    return facts.distro === "rhel" && major < 6 ? `RHEL${major}${suffix}` : "OtherLinux";
  }
  if (facts.os === "windows") {
    const v = `${facts.major ?? ""}.${facts.minor ?? ""}`;
    if (v === "5.1") return "WindowsXP";
    if (v === "5.2") return `Windows2003${suffix}`;
    if (v === "6.0") return `Windows2008${suffix}`;
    // Windows 7 is 6.1 too; the facts do not say client or server, and a server is more likely.
    if (v === "6.1") return suffix ? "Windows2008R2x64" : "Windows7";
    warnings.push(`Unknown Windows version: ${v}`);
  }
  return "Unassigned";
}

/** virt-v2v's --vmtype default: desktop for Windows XP, server otherwise. */
export function defaultVmType(facts: GuestFacts): "server" | "desktop" {
  return facts.os === "windows" && facts.major === "5" && facts.minor === "1" ? "desktop" : "server";
}

function ovfTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

const NIC_SUBTYPE: Record<PlannedNic["model"], number> = { rtl8139: 1, e1000: 2, virtio: 3 };

function rasd(tag: string, text?: string | number): XmlNode {
  return el(`rasd:${tag}`, undefined, text);
}

export function buildOvf(input: OvfInput): string {
  const created = ovfTime(input.now);
  const memoryMb = Math.ceil(input.memoryKiB / 1024);
  const fileRef = (d: PlannedDisk) => `${d.rhev?.imageId ?? ""}/${d.rhev?.volumeId ?? ""}`;
  const size = (d: PlannedDisk) => d.capacity ?? d.source.virtualSize;
  // Preallocated volumes take their whole size; sparse ones about what the source holds.
  const usage = (d: PlannedDisk) => (d.allocation === "preallocated" ? size(d) : (d.source.actualSize ?? 0));

  const references = el(
    "References",
    undefined,
    input.disks.map((d) =>
      el("File", { "ovf:href": fileRef(d), "ovf:id": d.rhev?.volumeId, "ovf:size": size(d), "ovf:description": "imported by virt-v2v" }),
    ),
  );
  const networks = [...new Set(input.nics.map((n) => n.to.name))];
  const networkSection = el("Section", { "xsi:type": "ovf:NetworkSection_Type" }, [
    el("Info", undefined, "List of networks"),
    ...networks.map((n) => el("Network", { "ovf:name": n })),
  ]);
  const diskSection = el("Section", { "xsi:type": "ovf:DiskSection_Type" }, [
    el("Info", undefined, "List of Virtual Disks"),
    ...input.disks.map((d, i) =>
      el("Disk", {
        "ovf:diskId": d.rhev?.volumeId,
        "ovf:size": Math.ceil(size(d) / GiB),
        "ovf:actual_size": Math.ceil(usage(d) / GiB),
        "ovf:fileRef": fileRef(d),
        "ovf:parentRef": "",
        "ovf:vm_snapshot_id": ZERO_UUID,
        "ovf:volume-format": d.format === "raw" ? "RAW" : "COW",
        "ovf:volume-type": d.allocation === "sparse" ? "Sparse" : "Preallocated",
        "ovf:format": "http://en.wikipedia.org/wiki/Byte",
        "ovf:disk-interface": d.bus === "virtio" ? "VirtIO" : "IDE",
        // libvirt's QEMU driver boots the first disk; RHEV is told the same.
        "ovf:boot": i === 0 ? "True" : "False",
      }),
    ),
  ]);

  const hardware: XmlNode[] = [
    el("Info", undefined, `${input.vcpus} CPU, ${memoryMb} Memory`),
    el("Item", undefined, [
      rasd("Caption", `${input.vcpus} virtual cpu`),
      rasd("Description", "Number of virtual CPU"),
      rasd("InstanceId", 1),
      rasd("ResourceType", 3),
      rasd("num_of_sockets", input.vcpus),
      rasd("cpu_per_socket", 1),
    ]),
    el("Item", undefined, [
      rasd("Caption", `${memoryMb} MB of memory`),
      rasd("Description", "Memory Size"),
      rasd("InstanceId", 2),
      rasd("ResourceType", 4),
      rasd("AllocationUnits", "MegaBytes"),
      rasd("VirtualQuantity", memoryMb),
    ]),
    el("Item", undefined, [rasd("Caption", "USB Controller"), rasd("InstanceId", 4), rasd("ResourceType", 23), rasd("UsbPolicy", "Disabled")]),
    el("Item", undefined, [
      rasd("Caption", "Graphical Controller"),
      rasd("InstanceId", 5),
      rasd("ResourceType", 20),
      rasd("VirtualQuantity", 1),
      rasd("Device", "qxl"),
    ]),
    ...input.disks.map((d, i) =>
      el("Item", undefined, [
        // RHEV parses the caption: it must begin with "Drive ".
        rasd("Caption", `Drive ${i + 1}`),
        rasd("InstanceId", d.rhev?.volumeId),
        rasd("ResourceType", 17),
        rasd("HostResource", fileRef(d)),
        rasd("Parent", ZERO_UUID),
        rasd("Template", ZERO_UUID),
        rasd("ApplicationList"),
        rasd("StorageId", input.storageDomain),
        rasd("StoragePoolId", ZERO_UUID),
        rasd("CreationDate", created),
        rasd("LastModified", created),
        rasd("last_modified_date", created),
      ]),
    ),
    ...input.nics.map((n, i) =>
      el("Item", undefined, [
        rasd("Caption", `Ethernet adapter on ${n.to.name}`),
        rasd("InstanceId", 3),
        rasd("ResourceType", 10),
        rasd("ResourceSubType", NIC_SUBTYPE[n.model]),
        rasd("Connection", n.to.name),
        rasd("Name", `eth${i}`),
        rasd("MACAddress", n.mac ?? ""),
      ]),
    ),
  ];

  const content = el("Content", { "ovf:id": "out", "xsi:type": "ovf:VirtualSystem_Type" }, [
    el("Name", undefined, input.name),
    el("TemplateId", undefined, ZERO_UUID),
    el("TemplateName", undefined, "Blank"),
    el("Description", undefined, "Imported with virt-v2v"),
    el("Domain"),
    el("CreationDate", undefined, created),
    el("IsInitilized", undefined, "True"),
    el("IsAutoSuspend", undefined, "False"),
    el("TimeZone"),
    el("IsStateless", undefined, "False"),
    el("Origin", undefined, 0),
    el("VmType", undefined, input.vmType === "server" ? 1 : 0),
    el("DefaultDisplayType", undefined, 1),
    el("Section", { "ovf:id": input.vmId, "ovf:required": "false", "xsi:type": "ovf:OperatingSystemSection_Type" }, [
      el("Info", undefined, "Guest Operating System"),
      el("Description", undefined, rhevOsType(input.facts, input.warnings)),
    ]),
    el("Section", { "xsi:type": "ovf:VirtualHardwareSection_Type" }, hardware),
  ]);

  const envelope = el(
    "ovf:Envelope",
    {
      "xmlns:rasd": "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData",
      "xmlns:vssd": "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData",
      "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
      "xmlns:ovf": "http://schemas.dmtf.org/ovf/envelope/1/",
      "ovf:version": "0.9",
    },
    [references, networkSection, diskSection, content],
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${renderXml(envelope)}`;
}
