// Hand-built conversion plans for the output stage's tests: only the fields the output stage
// reads are meaningful; the rest is the smallest valid value.
import type { ConversionPlan, OutputMethod, PlannedDisk } from "../../../server/v2v/index.ts";

export type TestDisk = {
  name: string;
  targetPath: string;
  format?: "raw" | "qcow2";
  allocation?: "sparse" | "preallocated";
  rhev?: { imageId: string; volumeId: string };
};

export const TEST_MAC = "52:54:00:12:34:56";

/**
 * A minimal KVM guest as the planner writes it, with type='qemu' (no /dev/kvm on these hosts):
 * virtio disks in the given files, one virtio NIC on `network`. `bus` lets a test break it.
 */
export function domainXml(name: string, disks: readonly TestDisk[], options: { network?: string; bus?: string; pool?: string } = {}): string {
  // With `pool`, disks refer to pool volumes (virt-v2v 2.x's form) rather than to files.
  const source = (d: TestDisk) => (options.pool ? `<source pool='${options.pool}' volume='${d.name}'/>` : `<source file='${d.targetPath}'/>`);
  const devices = disks.map(
    (d, i) => `    <disk type='${options.pool ? "volume" : "file"}' device='disk'>
      <driver name='qemu' type='${d.format ?? "raw"}' cache='none'/>
      ${source(d)}
      <target dev='vd${String.fromCharCode(97 + i)}' bus='${options.bus ?? "virtio"}'/>
    </disk>`,
  );
  return `<domain type='qemu'>
  <name>${name}</name>
  <memory unit='KiB'>262144</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type><boot dev='hd'/></os>
  <features><acpi/><apic/></features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>restart</on_crash>
  <devices>
${devices.join("\n")}
    <interface type='network'>
      <mac address='${TEST_MAC}'/>
      <source network='${options.network ?? "default"}'/>
      <model type='virtio'/>
    </interface>
    <console type='pty'/>
    <graphics type='vnc' autoport='yes'/>
  </devices>
</domain>
`;
}

export function testPlan(input: {
  name: string;
  method: OutputMethod;
  storage: string;
  uri?: string;
  disks: TestDisk[];
  domainXml?: string;
  ovf?: { vmId: string; xml: string };
  format?: "raw" | "qcow2";
}): ConversionPlan {
  const format = input.format ?? "raw";
  const disks: PlannedDisk[] = input.disks.map((d, i) => ({
    index: i,
    source: { path: `/src/${d.name}`, target: `xvd${String.fromCharCode(97 + i)}`, bus: "xen", format: "raw", virtualSize: 0 },
    name: d.name,
    targetPath: d.targetPath,
    targetDev: `vd${String.fromCharCode(97 + i)}`,
    bus: "virtio",
    format: d.format ?? format,
    allocation: d.allocation ?? "sparse",
    rhev: d.rhev,
  }));
  return {
    version: 1,
    guest: { name: input.name, sourceType: "xen", memoryKiB: 262144, vcpus: 1, arch: "x86_64", facts: facts() },
    output: { method: input.method, uri: input.uri, storage: input.storage, format, allocation: "sparse" },
    disks,
    nics: [
      {
        mac: TEST_MAC,
        from: { type: "bridge", name: "xenbr0" },
        to: { type: "network", name: "default" },
        rule: "default",
        defaultSource: "cli",
        model: "virtio",
      },
    ],
    drivers: { block: "virtio", net: "virtio", reason: "test plan" },
    software: null,
    transferIso: { entries: [], skipped: [], conflicts: [] },
    domainXml: input.domainXml ?? (input.method === "rhev" ? undefined : domainXml(input.name, input.disks)),
    ovf: input.ovf,
    warnings: [],
  };
}

function facts(): ConversionPlan["guest"]["facts"] {
  return {
    os: "linux",
    distro: "rhel",
    major: "5",
    minor: "4",
    arch: "x86_64",
    kernel: undefined,
    packages: [],
    memoryKiB: 262144,
    vcpus: 1,
  };
}
