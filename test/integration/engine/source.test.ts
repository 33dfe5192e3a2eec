import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { createMemoryContext } from "../../../server/engine/context.ts";
import { MissingToolsError, ToolFailedError } from "../../../server/engine/errors.ts";
import { readSource, SOURCE_STAGE, SourceError } from "../../../server/engine/source.ts";
import { DomainXmlError } from "../../../server/v2v/index.ts";
import { scratch } from "./helpers.ts";

const tmp = scratch("source");
afterAll(tmp.cleanup);

function ctx() {
  return createMemoryContext({ scratchDir: tmp.dir });
}

describe("readSource -i libvirtxml", () => {
  test("reads the domain XML file on the agent host", async () => {
    const file = join(tmp.dir, "xen-pv.xml");
    copyFileSync(new URL("../../fixtures/domains/xen-pv-pygrub.xml", import.meta.url), file);
    const c = ctx();
    const { guest } = await readSource(c, { method: "libvirtxml", file });
    expect(guest.name).toBe("XenGuest1");
    expect(c.lines).toEqual([
      { level: "info", message: `Setting up the source: -i libvirtxml ${file}`, stage: SOURCE_STAGE },
      {
        level: "info",
        message: "Source guest XenGuest1: xen, 592896 KiB, 1 vCPU, disks: xvda /dev/HostVG/XenGuest1",
        stage: SOURCE_STAGE,
      },
    ]);
  });

  test("no disks: virt-v2v's message", async () => {
    const file = join(tmp.dir, "nodisk.xml");
    writeFileSync(file, "<domain type='xen'><name>g</name><memory>1</memory><devices/></domain>");
    const error = await readSource(ctx(), { method: "libvirtxml", file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainXmlError);
    expect((error as Error).message).toBe("Guest doesn't define any storage devices");
  });
});

// libvirt's test driver reads a node description: no daemon, one shut-off and one running guest.
const NODE = `<node>
  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
    <name>XenGuest1</name>
    <memory unit='MiB'>579</memory>
    <vcpu>2</vcpu>
    <os><type arch='i686'>hvm</type></os>
    <devices>
      <disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/var/lib/xen/images/XenGuest1.img'/><target dev='xvda' bus='xen'/></disk>
      <interface type='bridge'><mac address='00:16:3e:66:94:9c'/><source bridge='xenbr0'/></interface>
    </devices>
    <test:runstate>5</test:runstate>
  </domain>
  <domain type='test'>
    <name>Running</name>
    <memory>1024</memory>
    <os><type>hvm</type></os>
    <devices><disk type='file' device='disk'><source file='/r.img'/><target dev='vda'/></disk></devices>
  </domain>
</node>`;

describe("readSource -i libvirt (virsh, libvirt's test driver)", () => {
  const node = join(tmp.dir, "node.xml");
  writeFileSync(node, NODE);
  const uri = `test://${node}`;

  test("a shut-off guest: its dumpxml", async () => {
    const c = ctx();
    const { guest, xml } = await readSource(c, { method: "libvirt", uri, guest: "XenGuest1" });
    expect(xml).toContain("<name>XenGuest1</name>");
    expect(guest).toMatchObject({ name: "XenGuest1", memoryKiB: 579 * 1024, vcpus: 2, os: { arch: "i686" } });
    expect(guest.disks.map((d) => [d.target, d.path, d.format])).toEqual([["xvda", "/var/lib/xen/images/XenGuest1.img", "raw"]]);
    expect(guest.nics).toEqual([{ type: "bridge", source: "xenbr0", mac: "00:16:3e:66:94:9c", model: undefined }]);
    expect(c.lines[0]?.message).toBe(`Setting up the source: -i libvirt -ic ${uri} XenGuest1`);
  });

  test("a running guest: virt-v2v's refusal", async () => {
    const error = await readSource(ctx(), { method: "libvirt", uri, guest: "Running" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).message).toBe("Guest Running is currently running. It must be shut down first.");
  });

  test("an unknown guest: virsh's own error", async () => {
    const error = await readSource(ctx(), { method: "libvirt", uri, guest: "Nope" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolFailedError);
    expect((error as ToolFailedError).stderrTail).toContain("failed to get domain 'Nope'");
  });
});

test("-i libvirt without virsh: the package to install", async () => {
  const error = await readSource(ctx(), { method: "libvirt", uri: "test:///default", guest: "test" }, { env: { PATH: "/nonexistent" } }).catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MissingToolsError);
  expect((error as MissingToolsError).missing).toEqual([{ tool: "virsh", package: "libvirt-clients" }]);
});
