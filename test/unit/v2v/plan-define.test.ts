// The planned domain XML is something libvirt accepts: each one is defined with real virsh
// against libvirt's test driver (test:///default, no daemon) and read back. The full check
// against a real libvirtd with a dir pool lives in the output stage's integration tests.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test, vi } from "vitest";
import { parseDomainXml, planConversion, type ConversionPlan } from "../../../server/v2v/index.ts";
import { baseInput, factsOf, guestOf, libvirtTarget, measured } from "./plan-helpers.ts";

vi.setConfig({ testTimeout: 30_000 });

function defineAndDump(plan: ConversionPlan): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "ferry-define-"));
  const file = join(dir, "domain.xml");
  writeFileSync(file, plan.domainXml ?? "");
  const name = plan.output.name ?? plan.guest.name;
  return new Promise((resolve, reject) => {
    execFile("virsh", ["-c", "test:///default", `define ${file}; dumpxml ${name}`], { encoding: "utf8" }, (error, stdout, stderr) =>
      error ? reject(new Error(`virsh define failed: ${stderr}`)) : resolve(stdout),
    );
  });
}

const kvm = { target: libvirtTarget(), options: { profile: "kvm" } };

describe("virsh define accepts the planned domain XML", () => {
  test("Xen PV: vda virtio, network default, spice + qxl", async () => {
    const plan = planConversion(baseInput({ guest: guestOf("xen-pv-pygrub.xml"), facts: factsOf("xen-hvm.facts.json"), ...kvm }));
    const dumped = await defineAndDump(plan);
    expect(dumped).toContain("<domain type='kvm'>");
    expect(dumped).toContain("<target dev='vda' bus='virtio'/>");
    expect(dumped).toContain("<source network='default'/>");
    expect(dumped).toContain("<graphics type='spice' autoport='yes'>");
  });

  test("Xen HVM: the CD-ROM on IDE beside virtio disks, features", async () => {
    const plan = planConversion(baseInput({ guest: guestOf("xen-hvm.xml"), facts: factsOf("xen-hvm.facts.json"), ...kvm }));
    const dumped = await defineAndDump(plan);
    expect(dumped).toContain("<target dev='hda' bus='ide'/>");
    expect(dumped).toMatch(/<features>\s*<acpi\/>\s*<apic\/>\s*<pae\/>\s*<\/features>/);
  });

  test("IDE + e1000 fallback with a CD-ROM and a floppy, on a qemu-type domain", async () => {
    const guest = parseDomainXml(
      "<domain type='xen'><name>old</name><memory>262144</memory><devices>" +
        "<disk type='file' device='disk'><source file='/a/old.img'/><target dev='hda'/></disk>" +
        "<disk type='file' device='cdrom'><target dev='hdc'/></disk>" +
        "<disk type='file' device='floppy'><target dev='fda'/></disk>" +
        "<interface type='bridge'><mac address='00:16:3e:00:00:01'/><source bridge='xenbr0'/></interface>" +
        "<graphics type='vnc' keymap='fr' passwd='pw'/></devices></domain>",
      "old.xml",
    );
    const plan = planConversion(
      baseInput({ guest, facts: factsOf("esx.facts.json"), files: [], target: libvirtTarget(), options: { network: ["default"] }, domainType: "qemu" }),
    );
    const dumped = await defineAndDump(plan);
    expect(dumped).toContain("<domain type='qemu'>");
    expect(dumped).toContain("<target dev='hda' bus='ide'/>");
    expect(dumped).toContain("<target dev='hdb' bus='ide'/>");
    expect(dumped).toContain("<target dev='fda' bus='fdc'/>");
    expect(dumped).toContain("<model type='e1000'/>");
    expect(dumped).toContain("keymap='fr'");
  });

  test("a logical pool: a block volume", async () => {
    const guest = guestOf("esx-vmware.xml");
    const pool = { name: "guests", type: "logical", path: "/dev/vg" };
    const plan = planConversion(
      baseInput({ guest, disks: measured(guest), facts: factsOf("esx.facts.json"), target: libvirtTarget({ pool }), options: { profile: "kvm", bridge: ["br0"] } }),
    );
    const dumped = await defineAndDump(plan);
    expect(dumped).toContain("<disk type='block' device='disk'>");
    expect(dumped).toContain("<source dev='/dev/vg/Fedora11.vmdk'/>");
    expect(dumped).toContain("<source bridge='br0'/>");
  });
});
