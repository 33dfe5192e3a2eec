// -o libvirt against a real libvirtd (started by the test when none runs) and a dir pool of
// its own: the copy stage writes into the pool, the domain is defined, refusals come before
// anything is copied, and a failure removes exactly the volumes this conversion created.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createMemoryContext } from "../../../server/engine/context.ts";
import { copyDisks } from "../../../server/engine/copy.ts";
import { CancelledError, ToolFailedError } from "../../../server/engine/errors.ts";
import { cleanupOutput, finishOutput, OutputError, prepareOutput } from "../../../server/engine/output.ts";
import type { ConversionPlan } from "../../../server/v2v/index.ts";
import { createDirPool, domainExists, ensureLibvirtd, poolVolumes, undefineDomains, virsh, type TestPool } from "../../helpers/libvirtd.ts";
import { MiB, qemuImgCompare, qemuImgInfo, rawImage, scratch } from "./helpers.ts";
import { domainXml, TEST_MAC, testPlan, type TestDisk } from "./output-plan.ts";

const tmp = scratch("output-libvirt");
const source = join(tmp.dir, "source.img");
const guests: string[] = [];
let uri = "";
let pool: TestPool;

beforeAll(async () => {
  uri = await ensureLibvirtd();
  pool = createDirPool(uri, "out");
  rawImage(source, 64 * MiB, [[0, 4 * MiB]]);
});

afterAll(() => {
  if (uri) undefineDomains(uri, ...guests);
  pool?.destroy();
  tmp.cleanup();
});

function guestName(label: string): string {
  const name = `ferry-out-${label}-${process.pid}`;
  guests.push(name);
  return name;
}

function ctx() {
  return createMemoryContext({ scratchDir: tmp.dir });
}

function disk(name: string, format: "raw" | "qcow2" = "qcow2"): TestDisk {
  return { name, targetPath: join(pool.path, name), format };
}

function plan(name: string, disks: TestDisk[], xml?: string): ConversionPlan {
  return testPlan({ name, method: "libvirt", uri, storage: pool.name, disks, domainXml: xml ?? domainXml(name, disks), format: "qcow2" });
}

/** prepare -> copy (the real copy stage) -> finish, as the pipeline runs them. */
async function convert(c: ReturnType<typeof ctx>, p: ConversionPlan) {
  const prepared = await prepareOutput(c, p);
  await copyDisks(
    c,
    p.disks.map((d) => ({ name: d.name, source, sourceFormat: "raw", target: d.targetPath })),
    { format: p.output.format, allocation: p.output.allocation },
  );
  return { prepared, result: await finishOutput(c, p, prepared) };
}

describe("-o libvirt", () => {
  test("the copied disk lands in the pool and virsh define makes the guest, with its disk and NIC", async () => {
    const name = guestName("define");
    const d = disk(`${name}-sda`);
    const c = ctx();
    const { result } = await convert(c, plan(name, [d]));

    expect(result).toMatchObject({ method: "libvirt", name, uri, volumes: [{ name: d.name, path: d.targetPath, reused: false }] });
    expect(poolVolumes(uri, pool.name)).toContain(d.name);
    expect(virsh(uri, "vol-path", "--pool", pool.name, d.name).trim()).toBe(d.targetPath);
    expect(qemuImgInfo(d.targetPath).format).toBe("qcow2");
    expect(qemuImgCompare(source, d.targetPath)).toBe(0);

    const defined = virsh(uri, "dumpxml", name);
    expect(defined).toContain(`<name>${name}</name>`);
    expect(defined).toMatch(new RegExp(`<source file='${d.targetPath}'/>\\s*<target dev='vda' bus='virtio'/>`));
    expect(defined).toMatch(new RegExp(`<mac address='${TEST_MAC}'/>\\s*<source network='default'/>\\s*<model type='virtio'/>`));
    expect(virsh(uri, "domstate", name).trim()).toBe("shut off");
    expect(c.lines.map((l) => l.message)).toEqual(
      expect.arrayContaining([`Setting up the destination: -o libvirt -oc ${uri} -os ${pool.name}`, "Creating output metadata"]),
    );
  });

  test("disks given as pool volumes (virt-v2v 2.x's <disk type='volume'>) define too", async () => {
    const name = guestName("volume");
    const d = disk(`${name}-sda`, "raw");
    await convert(ctx(), plan(name, [d], domainXml(name, [d], { pool: pool.name })));
    expect(virsh(uri, "dumpxml", name)).toMatch(new RegExp(`<disk type='volume' device='disk'>[\\s\\S]*<source pool='${pool.name}' volume='${d.name}'/>`));
    expect(poolVolumes(uri, pool.name)).toContain(d.name);
  });

  test("a domain of that name: refused up front, before any volume exists", async () => {
    const name = guestName("exists");
    const d = disk(`${name}-sda`);
    const existing = join(tmp.dir, `${name}.xml`);
    execFileSync("sh", ["-c", `cat > '${existing}'`], { input: domainXml(name, [{ name: "x", targetPath: "/nonexistent/x.img" }]) });
    virsh(uri, "define", existing);

    const error = await prepareOutput(ctx(), plan(name, [d])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputError);
    expect(error).toMatchObject({ code: "DOMAIN_EXISTS", message: `Domain ${name} already exists on the target.` });
    expect(existsSync(d.targetPath)).toBe(false);
    expect(poolVolumes(uri, pool.name)).not.toContain(d.name);
  });

  test("a pool the connection does not have: virt-v2v's refusal", async () => {
    const name = guestName("nopool");
    const p = { ...plan(name, [disk(`${name}-sda`)]) };
    p.output = { ...p.output, storage: "ferry-no-such-pool" };
    const error = await prepareOutput(ctx(), p).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "INVALID_POOL", message: "Output pool ferry-no-such-pool is not a valid storage pool." });
  });

  test("a pool that is defined but not started: refused, saying how to start it", async () => {
    const stopped = `ferry-stopped-${process.pid}`;
    virsh(uri, "pool-define-as", stopped, "dir", "--target", join(tmp.dir, "stopped"));
    try {
      const name = guestName("stopped");
      const p = plan(name, [{ name: "a", targetPath: join(tmp.dir, "stopped", "a") }]);
      p.output = { ...p.output, storage: stopped };
      const error = await prepareOutput(ctx(), p).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "POOL_INACTIVE", message: `Output pool ${stopped} is not active. Start it with: virsh -c ${uri} pool-start ${stopped}` });
    } finally {
      virsh(uri, "pool-undefine", stopped);
    }
  });

  test("a pool whose volumes are block devices (logical): refused, naming its type", async () => {
    const logical = `ferry-lv-${process.pid}`;
    // Only defined: libvirt keeps the definition without the volume group existing.
    virsh(uri, "pool-define-as", logical, "logical", "--source-name", `ferryvg${process.pid}`, "--target", `/dev/ferryvg${process.pid}`);
    try {
      const name = guestName("logical");
      const p = plan(name, [{ name: "a", targetPath: `/dev/ferryvg${process.pid}/a` }]);
      p.output = { ...p.output, storage: logical };
      const error = await prepareOutput(ctx(), p).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "UNSUPPORTED_POOL" });
      expect((error as Error).message).toContain(`Output pool ${logical} has type 'logical'`);
    } finally {
      virsh(uri, "pool-undefine", logical);
    }
  });

  test("a plan writing outside the pool's directory is refused before the copy", async () => {
    const name = guestName("outside");
    const stray = { name: `${name}-sda`, targetPath: join(tmp.dir, `${name}-sda`) };
    const error = await prepareOutput(ctx(), plan(name, [stray])).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BAD_PLAN" });
    expect((error as Error).message).toBe(`Disk ${stray.name}: the plan writes ${stray.targetPath}, which is not in pool ${pool.name} (${pool.path}).`);
  });

  test("define rejects the XML: the new volume is removed with virt-v2v's message, the reused one is kept", async () => {
    const name = guestName("badxml");
    const fresh = disk(`${name}-sda`);
    const kept = disk(`${name}-sdb`);
    virsh(uri, "vol-create-as", pool.name, kept.name, "16M", "--format", "qcow2");
    const p = plan(name, [fresh, kept], domainXml(name, [fresh, kept], { bus: "nosuchbus" }));
    const c = ctx();

    const prepared = await prepareOutput(c, p);
    expect(prepared.volumes.map((v) => [v.name, v.existed])).toEqual([
      [fresh.name, false],
      [kept.name, true],
    ]);
    const error = await convert(c, p).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolFailedError);
    expect((error as ToolFailedError).stderrTail).toContain("nosuchbus");
    expect(domainExists(uri, name)).toBe(false);

    await cleanupOutput(c, p, prepared);
    expect(c.lines).toContainEqual({ level: "info", message: `Automatically cleaning up volume ${fresh.name} from pool ${pool.name}.`, stage: "output" });
    expect(c.lines.filter((l) => l.message.startsWith("Automatically cleaning up"))).toHaveLength(1);
    const volumes = poolVolumes(uri, pool.name);
    expect(volumes).not.toContain(fresh.name);
    expect(existsSync(fresh.targetPath)).toBe(false);
    expect(volumes).toContain(kept.name);
    expect(qemuImgInfo(kept.targetPath)["virtual-size"]).toBe(16 * MiB);

    // Cleanup again (an agent retrying its cleanup) finds nothing more to do.
    const again = ctx();
    await cleanupOutput(again, p, prepared);
    expect(again.lines).toEqual([]);
  });

  test("a volume already in the pool: virt-v2v's warning, not copied again, and the guest uses it", async () => {
    const name = guestName("reuse");
    const d = disk(`${name}-sda`);
    virsh(uri, "vol-create-as", pool.name, d.name, "16M", "--format", "qcow2");
    const c = ctx();
    const { result } = await convert(c, plan(name, [d]));

    expect(c.lines).toContainEqual({
      level: "warn",
      message: `Storage volume ${d.name} already exists on the target. NOT copying it again. Delete the volume and retry to copy again.`,
      stage: "copy",
    });
    expect(result.volumes).toEqual([{ name: d.name, path: d.targetPath, reused: true }]);
    expect(qemuImgInfo(d.targetPath)["virtual-size"]).toBe(16 * MiB);
    expect(virsh(uri, "dumpxml", name)).toContain(`<source file='${d.targetPath}'/>`);
  });

  test("cancelled after the copy: nothing is defined and the copied volume is cleaned up", async () => {
    const name = guestName("cancel");
    const d = disk(`${name}-sda`);
    const p = plan(name, [d]);
    const c = ctx();
    const prepared = await prepareOutput(c, p);
    await copyDisks(c, [{ name: d.name, source, sourceFormat: "raw", target: d.targetPath }], { format: "qcow2", allocation: "sparse" });
    c.cancel();

    await expect(finishOutput(c, p, prepared)).rejects.toBeInstanceOf(CancelledError);
    await cleanupOutput(c, p, prepared);
    expect(domainExists(uri, name)).toBe(false);
    expect(existsSync(d.targetPath)).toBe(false);
    expect(poolVolumes(uri, pool.name)).not.toContain(d.name);
  });
});
