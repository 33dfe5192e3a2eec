// The output target's facts, read from a real libvirtd (pool, networks), sysfs (bridges) and
// directories laid out as -o local and RHEV export domains are.
import { mkdirSync, statfsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createMemoryContext } from "../../../server/engine/context.ts";
import { hostBridges, OutputError, readHostCapabilities, readOutputTarget } from "../../../server/engine/target.ts";
import { createDirPool, ensureLibvirtd, virsh, type TestPool } from "../../helpers/libvirtd.ts";
import { scratch } from "./helpers.ts";

const tmp = scratch("target");
const network = `ferry-net-${process.pid}`;
let uri = "";
let pool: TestPool;

beforeAll(async () => {
  uri = await ensureLibvirtd();
  pool = createDirPool(uri, "target");
  // A network of the test's own (defined, never started: no dnsmasq needed).
  const xml = join(tmp.dir, "net.xml");
  writeFileSync(xml, `<network><name>${network}</name><bridge name='fbr${process.pid % 100000}'/></network>`);
  virsh(uri, "net-define", xml);
});

afterAll(() => {
  if (uri) {
    try {
      virsh(uri, "net-undefine", network);
    } catch {
      // never defined
    }
  }
  pool?.destroy();
  tmp.cleanup();
});

function ctx() {
  return createMemoryContext({ scratchDir: tmp.dir });
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OutputError);
  return { code: (error as OutputError).code, message: (error as OutputError).message };
}

describe("readOutputTarget -o libvirt", () => {
  test("the pool's type and directory, the networks and the host bridges", async () => {
    const target = await readOutputTarget(ctx(), { method: "libvirt", uri, storage: pool.name });
    expect(target).toMatchObject({ method: "libvirt", uri, storage: pool.name, pool: { name: pool.name, type: "dir", path: pool.path } });
    expect(target.networks).toContain(network);
    expect(target.bridges).toEqual(await hostBridges());
  });

  test("a pool that does not exist: virt-v2v's message", async () => {
    expect(await refusal(readOutputTarget(ctx(), { method: "libvirt", uri, storage: "nosuchpool" }))).toEqual({
      code: "INVALID_POOL",
      message: "Output pool nosuchpool is not a valid storage pool.",
    });
  });
});

describe("hostBridges", () => {
  test("interfaces with a bridge directory, nothing else", async () => {
    const sys = join(tmp.dir, "sys-class-net");
    mkdirSync(join(sys, "br0", "bridge"), { recursive: true });
    mkdirSync(join(sys, "virbr1", "bridge"), { recursive: true });
    mkdirSync(join(sys, "eth0"), { recursive: true });
    expect(await hostBridges(sys)).toEqual(["br0", "virbr1"]);
    expect(await hostBridges(join(tmp.dir, "absent"))).toEqual([]);
  });
});

describe("readOutputTarget -o local", () => {
  test("an existing directory", async () => {
    expect(await readOutputTarget(ctx(), { method: "local", storage: tmp.dir })).toEqual({ method: "local", storage: tmp.dir });
  });

  test("a missing directory: virt-v2v's message", async () => {
    const dir = join(tmp.dir, "missing");
    expect(await refusal(readOutputTarget(ctx(), { method: "local", storage: dir }))).toEqual({
      code: "NO_OUTPUT_DIR",
      message: `-os ${dir}: output directory does not exist or is not a directory`,
    });
  });
});

describe("readOutputTarget -o rhev", () => {
  const SD1 = "6a1b2c3d-0000-4000-8000-000000000001";
  const SD2 = "6a1b2c3d-0000-4000-8000-000000000002";

  function exportDomain(label: string, domains: { uuid: string; attached: boolean }[]): string {
    const root = join(tmp.dir, `export-${label}`);
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, "__DIRECT_IO_TEST__"), "");
    for (const d of domains) mkdirSync(join(root, d.uuid, d.attached ? "master/vms" : "dom_md"), { recursive: true });
    return root;
  }

  test("the one attached storage domain", async () => {
    const root = exportDomain("ok", [{ uuid: SD1, attached: true }]);
    expect(await readOutputTarget(ctx(), { method: "rhev", storage: root })).toEqual({ method: "rhev", storage: root, rhevDomain: SD1 });
  });

  test("no storage domain, two, or one not attached: virt-v2v's messages", async () => {
    const none = exportDomain("none", []);
    expect(await refusal(readOutputTarget(ctx(), { method: "rhev", storage: none }))).toEqual({
      code: "NO_STORAGE_DOMAIN",
      message: `${none} does not contain an initialised storage domain.`,
    });
    const two = exportDomain("two", [
      { uuid: SD1, attached: true },
      { uuid: SD2, attached: true },
    ]);
    expect(await refusal(readOutputTarget(ctx(), { method: "rhev", storage: two }))).toEqual({
      code: "MULTIPLE_STORAGE_DOMAINS",
      message: `${two} contains multiple possible domains. It may only contain one.`,
    });
    const detached = exportDomain("detached", [{ uuid: SD1, attached: false }]);
    expect(await refusal(readOutputTarget(ctx(), { method: "rhev", storage: detached }))).toEqual({
      code: "NOT_ATTACHED",
      message: `${detached} has not been attached to a RHEV data center (${SD1}/master/vms does not exist).`,
    });
    const unmounted = join(tmp.dir, "not-mounted");
    expect((await refusal(readOutputTarget(ctx(), { method: "rhev", storage: unmounted }))).code).toBe("NO_EXPORT_DOMAIN");
  });
});

describe("readHostCapabilities", () => {
  test("pools with type, path and state, networks, bridges and free scratch space", async () => {
    const caps = await readHostCapabilities(ctx(), { uri, scratchDir: tmp.dir });
    expect(caps.libvirtError).toBeUndefined();
    expect(caps.pools).toContainEqual({ name: pool.name, type: "dir", path: pool.path, active: true });
    expect(caps.networks).toContain(network);
    expect(caps.bridges).toEqual(await hostBridges());
    const fs = statfsSync(tmp.dir);
    // Other processes write to the same filesystem meanwhile: within 1 GiB of statfs's figure.
    expect(Math.abs(caps.freeScratchBytes - fs.bavail * fs.bsize)).toBeLessThan(1024 ** 3);
    expect(caps.freeScratchBytes).toBeGreaterThan(0);
  });

  test("no libvirtd on the connection: the reason, and the rest still reported", async () => {
    const caps = await readHostCapabilities(ctx(), { uri: "qemu+unix:///system?socket=/nonexistent/libvirt-sock", scratchDir: tmp.dir });
    expect(caps.pools).toEqual([]);
    expect(caps.networks).toEqual([]);
    expect(caps.libvirtError).toContain("/nonexistent/libvirt-sock");
    expect(caps.freeScratchBytes).toBeGreaterThan(0);
  });
});
