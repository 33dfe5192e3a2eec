// Fault: the agent's output filesystem is too small or fills up mid-copy. A 64 MiB tmpfs the test
// mounts is the `-o local` directory of conversions run by a real `ferry agent --runner copy`.
// Too small from the start: refused before a byte is written (qemu-img measure + statfs), with
// the path and both figures. Filled by someone else mid-copy (the test writes a file over the
// rest of it): qemu-img's ENOSPC is reported as a full disk with the path and figures, the
// partial volume and the volume copied before it are removed, the conversion is failed.
import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, readdirSync, rmSync, statfsSync, truncateSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createAgentToken } from "../../../server/agents/tokens.ts";
import { createMemoryContext } from "../../../server/engine/context.ts";
import { DiskSpaceError } from "../../../server/engine/space.ts";
import { buildTransferIso } from "../../../server/engine/transfer-iso.ts";
import { parseConfig } from "../../../server/v2v/index.ts";
import type { Db } from "../../../server/db/client.ts";
import { freshDatabase } from "../db.ts";
import { MiB, processesMentioning, rawImage, scratch } from "../engine/helpers.ts";
import { ADMIN, copyPlan, seedConversion, serveAgentApi, spawnAgent, throttledSource, waitFor, type AgentChild } from "../agents/helpers.ts";

const tmp = scratch("faults-full");
const small = () => path.join(tmp.dir, "small");
let mounted = false;
let prisma: Db;
let api: { url: string; close: () => Promise<void> };
let agent: AgentChild;
const sources: { stop: () => void }[] = [];

const free = () => {
  const s = statfsSync(small());
  return Number(s.bavail) * Number(s.bsize);
};

beforeAll(async () => {
  mkdirSync(small());
  // Root only (CI and the test machine run as root): a real filesystem of 64 MiB.
  execFileSync("mount", ["-t", "tmpfs", "-o", "size=64m,mode=0755", "tmpfs", small()]);
  mounted = true;
  mkdirSync(path.join(tmp.dir, "src"));
  rawImage(path.join(tmp.dir, "src", "big.img"), 256 * MiB, [[0, 96 * MiB]]);
  rawImage(path.join(tmp.dir, "src", "first.img"), 32 * MiB, [[0, 8 * MiB]]);
  rawImage(path.join(tmp.dir, "src", "second.img"), 128 * MiB, [[0, 40 * MiB]]);
  ({ prisma } = await freshDatabase("faults_disk_full"));
  api = await serveAgentApi(prisma);
  const secret = (await createAgentToken(prisma, ADMIN, { name: "disk full" })).secret;
  agent = spawnAgent(["--server", api.url, "--token", secret, "--name", "full-host", "--scratch", path.join(tmp.dir, "scratch"), "--source-dir", path.join(tmp.dir, "src")]);
});

afterAll(async () => {
  if (agent && agent.child.exitCode === null && agent.child.signalCode === null) agent.child.kill("SIGKILL");
  for (const pid of processesMentioning(small())) process.kill(pid, "SIGKILL");
  for (const s of sources) s.stop();
  await api?.close();
  await prisma?.$disconnect();
  // Unmounted whatever happened above, so no tmpfs outlives the run.
  if (mounted) execFileSync("umount", ["-l", small()]);
  tmp.cleanup();
});

/** Writes `file` until the filesystem is full (ENOSPC), whatever else is writing meanwhile. */
function fillUp(file: string): void {
  const fd = openSync(file, "w");
  try {
    for (const size of [MiB, 4096]) {
      const chunk = Buffer.alloc(size, 0xee);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOSPC") throw e;
      }
    }
  } finally {
    closeSync(fd);
  }
}

const finished = (id: string) =>
  waitFor(`conversion ${id} to finish`, async () => {
    const c = await prisma.conversion.findUniqueOrThrow({ where: { id } });
    return c.status === "queued" || c.status === "running" ? undefined : c;
  }, 90_000);

const logOf = async (id: string) => (await prisma.conversionLog.findMany({ where: { conversionId: id }, orderBy: { seq: "asc" } })).map((l) => l.message);

describe("an output filesystem too small for the disk", () => {
  test("is refused before any copy: the path, what is needed and what is free; nothing written", async () => {
    const target = path.join(small(), "big-sda.raw");
    const id = await seedConversion(prisma, { guestName: "big", plan: copyPlan([{ name: "big-sda", source: path.join(tmp.dir, "src", "big.img"), target }], { format: "raw", allocation: "sparse" }) });
    const c = await finished(id);
    expect(c).toMatchObject({ status: "failed", errorCode: "NO_SPACE" });
    process.stderr.write(`preflight refusal: ${c.error}\n`);
    expect(c.error).toMatch(new RegExp(`^Not enough free space in ${small()} for the output: big-sda needs 96\\.\\d MiB \\(\\d+ bytes\\) \\(qemu-img measure\\), 64\\.0 MiB \\(67108864 bytes\\) free\\. Free up space there or choose other output storage; nothing was copied\\.$`));
    expect(readdirSync(small())).toEqual([]);
    const log = await logOf(id);
    expect(log.some((m) => m.startsWith("Transferring storage volume"))).toBe(false);
    expect(log).toContain(c.error);
  });
});

describe("an output filesystem that fills up during the copy", () => {
  test("ENOSPC is said as a full disk with path and figures; the partial and the earlier volume are removed; failed", async () => {
    const first = await throttledSource(path.join(tmp.dir, "src", "first.img"), path.join(tmp.dir, "first.sock"), "256M");
    const second = await throttledSource(path.join(tmp.dir, "src", "second.img"), path.join(tmp.dir, "second.sock"), "64M");
    sources.push(first, second);
    const id = await seedConversion(prisma, {
      guestName: "filled",
      plan: copyPlan([
        { name: "filled-sda", source: first.url, target: path.join(small(), "filled-sda.raw") },
        { name: "filled-sdb", source: second.url, target: path.join(small(), "filled-sdb.raw") },
      ], { format: "raw", allocation: "sparse" }),
    });
    // The second disk is being copied (the first is done): someone else takes the rest of the space.
    await waitFor("the second disk's copy to be under way", async () => {
      const c = await prisma.conversion.findUniqueOrThrow({ where: { id } });
      if (c.status !== "queued" && c.status !== "running") throw new Error(`ended early as ${c.status}: ${c.error}`);
      const p = c.progress as { item?: string; done?: number } | null;
      return p?.item === "filled-sdb" && (p.done ?? 0) > 32 * MiB ? true : undefined;
    });
    const filler = path.join(small(), "someone-else.bin");
    fillUp(filler);
    const c = await finished(id);
    expect(c).toMatchObject({ status: "failed", errorCode: "NO_SPACE" });
    process.stderr.write(`mid-copy ENOSPC: ${c.error}\n`);
    expect(c.error).toMatch(new RegExp(`^No space left in ${small()} while copying filled-sdb: [\\d.]+ (KiB|MiB) \\(\\d+ bytes\\) still to write, [\\d.]+ (bytes|KiB|MiB)( \\(\\d+ bytes\\))? free \\(the filesystem filled up during the copy\\)\\. The partial file was removed; free up space there and retry\\.$`));
    // Only the other writer's file is left: no half-written volume, no orphan first disk.
    expect(readdirSync(small())).toEqual(["someone-else.bin"]);
    expect(processesMentioning(small())).toEqual([]);
    const log = await logOf(id);
    expect(log).toContain(`Copy failed: removed the partial volume filled-sdb (${path.join(small(), "filled-sdb.raw")})`);
    expect(log).toContain(`Removed the volume filled-sda (${path.join(small(), "filled-sda.raw")}) copied earlier in this conversion`);
    expect(log.at(-1)).toBe(c.error);
    rmSync(filler);
  });
});

describe("a scratch directory too small for the transfer ISO", () => {
  test("is refused before xorriso writes, with the path and both figures; nothing left in it", async () => {
    const rpm = path.join(tmp.dir, "src", "big-driver.rpm");
    writeFileSync(rpm, "");
    truncateSync(rpm, 80 * MiB);
    const config = parseConfig(`<virt-v2v><app os="linux" name="big"><path>${rpm}</path></app></virt-v2v>`, "site.conf");
    const ctx = createMemoryContext({ scratchDir: small() });
    const error = await buildTransferIso(ctx, { files: [config], output: path.join(small(), "transfer.iso") }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiskSpaceError);
    expect((error as Error).message).toBe(`Not enough free space in ${small()} for the transfer ISO: 82.0 MiB (85983232 bytes) needed, ${(free() / MiB).toFixed(1)} MiB (${free()} bytes) free. Free up space there or give the agent another scratch directory.`);
    expect(readdirSync(small())).toEqual([]);
  });
});
