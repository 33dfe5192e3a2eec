// The output guest's libvirt domain XML, as virt-v2v 0.9.1's LibVirtTarget writes it
// (reference §3.6): its skeleton and element order, disks vda.. on virtio (or hda.. on IDE)
// in the plan's order, CD-ROMs and floppies, NICs with the original MAC and the chosen model,
// the source's graphics keymap and password (the password goes into this XML and nowhere
// else), features, memory, vcpus and arch. Valid for `virsh define`.
import type { PlannedDisk, PlannedNic } from "./conversion-plan.ts";
import type { SourceGraphics, SourceRemovable } from "./domain-xml.ts";
import { driveLetters } from "./plan-disks.ts";
import { el, renderXml, type XmlNode } from "./plan-xml.ts";

export type OutputDomainInput = {
  /** kvm, or qemu on hosts that cannot run kvm (libvirt refuses kvm there). */
  domainType: "kvm" | "qemu";
  name: string;
  memoryKiB: number;
  vcpus: number;
  arch: string;
  features: readonly string[];
  display: { video: "qxl" | "cirrus"; graphics: "spice" | "vnc" };
  /** The source's first graphics device: keymap and password are copied. */
  graphics: SourceGraphics | undefined;
  disks: readonly PlannedDisk[];
  removables: readonly SourceRemovable[];
  nics: readonly PlannedNic[];
  bus: "virtio" | "ide";
};

/** Features KVM guests can have; others from a Xen or VMware source are dropped with a warning. */
const KVM_FEATURES = ["acpi", "apic", "pae"];

/** The output features: the source's that KVM knows, plus acpi (when the guest supports it), apic and pae. */
export function outputFeatures(source: readonly string[], acpi: boolean, warnings: string[]): string[] {
  const out: string[] = [];
  for (const f of source) {
    if (!KVM_FEATURES.includes(f)) {
      warnings.push(`The connected hypervisor does not support feature ${f}.`);
    } else if (f === "acpi" && !acpi) {
      warnings.push("The target guest does not support acpi under KVM. ACPI will be disabled.");
    } else if (!out.includes(f)) out.push(f);
  }
  if (acpi && !out.includes("acpi")) out.push("acpi");
  for (const f of ["apic", "pae"]) if (!out.includes(f)) out.push(f);
  return out;
}

function diskNode(d: PlannedDisk): XmlNode {
  const block = d.volumeType === "block";
  return el("disk", { type: block ? "block" : "file", device: "disk" }, [
    el("driver", { name: "qemu", type: d.format, cache: "none" }),
    el("source", block ? { dev: d.targetPath } : { file: d.targetPath }),
    el("target", { dev: d.targetDev, bus: d.bus }),
  ]);
}

function removableNodes(input: OutputDomainInput, warnings: string[]): XmlNode[] {
  // CD-ROMs are IDE: after the IDE disks, or from hda again when the disks are virtio.
  let letter = input.bus === "virtio" ? 0 : input.disks.length;
  let floppy = 0;
  let ide = input.bus === "virtio" ? 0 : input.disks.length;
  const nodes = input.removables.map((r) => {
    if (r.device === "cdrom") {
      ide++;
      return el("disk", { type: "file", device: "cdrom" }, [
        el("driver", { name: "qemu", type: "raw" }),
        el("target", { dev: `hd${driveLetters(letter++)}`, bus: "ide" }),
        el("readonly"),
      ]);
    }
    // libvirt names floppies fda, fdb (virt-v2v 0.9.1 wrote fd0, which libvirt rejects).
    return el("disk", { type: "file", device: "floppy" }, [
      el("driver", { name: "qemu", type: "raw" }),
      el("target", { dev: `fd${driveLetters(floppy++)}`, bus: "fdc" }),
    ]);
  });
  if (ide > 4) {
    warnings.push(
      `Only 4 IDE devices are supported, but this guest has ${ide}. The guest will not operate correctly without manual reconfiguration.`,
    );
  }
  return nodes;
}

function nicNode(n: PlannedNic): XmlNode {
  const children: XmlNode[] = [];
  if (n.mac !== undefined) children.push(el("mac", { address: n.mac }));
  if (n.to.type === "network" || n.to.type === "bridge") children.push(el("source", { [n.to.type]: n.to.name }));
  children.push(el("model", { type: n.model }));
  return el("interface", { type: n.to.type }, children);
}

export function buildDomainXml(input: OutputDomainInput, warnings: string[]): string {
  const { display, graphics } = input;
  const video =
    display.video === "qxl"
      ? el("model", { type: "qxl", ram: 65536, heads: 1 })
      : el("model", { type: "cirrus", vram: 9216, heads: 1 });
  const domain = el("domain", { type: input.domainType }, [
    el("os", undefined, [el("type", { arch: input.arch }, "hvm"), el("boot", { dev: "hd" })]),
    el("on_poweroff", undefined, "destroy"),
    el("on_reboot", undefined, "restart"),
    el("on_crash", undefined, "restart"),
    el("devices", undefined, [
      el("input", { type: "tablet", bus: "usb" }),
      el("input", { type: "mouse", bus: "ps2" }),
      el("video", undefined, [video]),
      el("console", { type: "pty" }),
      el("graphics", {
        type: display.graphics,
        autoport: "yes",
        keymap: graphics?.keymap,
        passwd: graphics?.password?.reveal(),
      }),
      ...input.disks.map(diskNode),
      ...removableNodes(input, warnings),
      ...input.nics.map(nicNode),
    ]),
    el("name", undefined, input.name),
    el("memory", { unit: "KiB" }, input.memoryKiB),
    el("vcpu", undefined, input.vcpus),
    el("features", undefined, input.features.map((f) => el(f))),
  ]);
  return renderXml(domain);
}
