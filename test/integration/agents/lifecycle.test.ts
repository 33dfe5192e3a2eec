// Real `ferry agent` processes over HTTP doing real qemu-img copies: one killed with SIGKILL
// mid-copy is found silent, its conversion interrupted, retried and finished by another agent
// (which first removes the half-written volume); a cancel from the console reaches the agent
// and its qemu-img is gone.
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { requestCancel, retry } from "../../../server/conversions/change-conversion.ts";
import { sweepSilentAgents } from "../../../server/agents/sweeper.ts";
import { createAgentToken } from "../../../server/agents/tokens.ts";
import type { Db } from "../../../server/db/client.ts";
import { freshDatabase } from "../db.ts";
import { GiB, MiB, processesMentioning, qemuImgCompare, qemuImgInfo, rawImage, scratch } from "../engine/helpers.ts";
import { ADMIN, copyPlan, seedConversion, serveAgentApi, spawnAgent, throttledSource, waitFor, type AgentChild } from "./helpers.ts";

let prisma: Db;
let api: { url: string; close: () => Promise<void> };
let secret: string;
let sourceFile: string;
const sources: { stop: () => void }[] = [];

/** The guest disk as agents read it: nbdkit serving the raw image at 512 Mbit/s, so a copy takes seconds. */
async function source(name: string): Promise<string> {
  const served = await throttledSource(sourceFile, path.join(tmp.dir, `${name}.sock`));
  sources.push(served);
  return served.url;
}
const tmp = scratch("agents-life");
const children: AgentChild[] = [];

function agent(name: string): AgentChild {
  const a = spawnAgent(["--server", api.url, "--token", secret, "--name", name, "--scratch", path.join(tmp.dir, "scratch")]);
  children.push(a);
  return a;
}

async function midCopy(id: string) {
  return waitFor("the copy to be under way", async () => {
    const c = await prisma.conversion.findUniqueOrThrow({ where: { id } });
    const p = c.progress as { stage?: string; done?: number; total?: number } | null;
    if (c.status !== "queued" && c.status !== "running") throw new Error(`conversion ended as ${c.status}: ${c.error}`);
    return p?.stage === "copy" && (p.done ?? 0) > 0 && (p.done ?? 0) < (p.total ?? 0) ? c : undefined;
  });
}

const finished = (id: string) =>
  waitFor(`conversion ${id} to finish`, async () => {
    const c = await prisma.conversion.findUniqueOrThrow({ where: { id }, include: { agent: true } });
    return c.status === "queued" || c.status === "running" ? undefined : c;
  }, 120_000);

beforeAll(async () => {
  ({ prisma } = await freshDatabase("agents_lifecycle"));
  api = await serveAgentApi(prisma);
  secret = (await createAgentToken(prisma, ADMIN, { name: "conversion hosts" })).secret;
  // 1 GiB virtual, 384 MiB of data, read through nbdkit's rate filter (bits per second).
  sourceFile = path.join(tmp.dir, "big.img");
  rawImage(sourceFile, GiB, [[0, 256 * MiB], [700 * MiB, 128 * MiB]]);
  mkdirSync(path.join(tmp.dir, "out"));
});
afterAll(async () => {
  for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill("SIGKILL");
  for (const pid of processesMentioning(path.join(tmp.dir, "out"))) process.kill(pid, "SIGKILL");
  for (const s of sources) s.stop();
  await api?.close();
  await prisma?.$disconnect();
  tmp.cleanup();
});

describe("an agent killed mid-copy", () => {
  test("is found silent, its conversion interrupted; a retry finishes on another agent from a clean target", async () => {
    const target = path.join(tmp.dir, "out", "killed-sda.qcow2");
    const id = await seedConversion(prisma, { guestName: "killed", plan: copyPlan([{ name: "killed-sda", source: await source("killed"), target }], { format: "qcow2", allocation: "sparse" }) });
    const victim = agent("victim");
    const running = await midCopy(id);
    expect(running.attempt).toBe(1);
    expect(processesMentioning(target).length).toBeGreaterThan(0);
    victim.child.kill("SIGKILL");
    await victim.exited;

    const interrupted = await waitFor("the sweeper to interrupt it", async () => {
      await sweepSilentAgents(prisma, { timeoutSeconds: 2 });
      const c = await prisma.conversion.findUniqueOrThrow({ where: { id } });
      return c.status === "interrupted" ? c : undefined;
    });
    expect(interrupted.errorCode).toBe("AGENT_LOST");
    expect(interrupted.error).toMatch(/^The agent victim stopped sending heartbeats \(silent for \d+ s; the timeout is 2 s\): this attempt was interrupted\./);
    expect(interrupted.outputs).toMatchObject({ attempt: 1, paths: [target] });
    // The log up to the kill is intact: attempt 1's lines numbered 0..n-1 with no gap, through the copy's start.
    const before = await prisma.conversionLog.findMany({ where: { conversionId: id, attempt: 1 }, orderBy: { seq: "asc" } });
    expect(before.map((l) => l.seq)).toEqual(before.map((_, i) => i));
    expect(before[0]!.message).toMatch(/^Agent victim on \S+ runs attempt 1$/);
    expect(before.map((l) => l.message)).toContain("Transferring storage volume killed-sda: 1073741824 bytes");

    expect(await retry(prisma, ADMIN, id)).toMatchObject({ status: "queued" });
    expect((await prisma.conversion.findUniqueOrThrow({ where: { id } })).outputs).toMatchObject({ attempt: 1, paths: [target] });
    agent("rescuer");
    const done = await finished(id);
    expect(done).toMatchObject({ status: "succeeded", attempt: 2, outputs: null });
    expect(done.agent!.name).toBe("rescuer");
    const logs = await prisma.conversionLog.findMany({ where: { conversionId: id, attempt: 2 }, orderBy: { seq: "asc" } });
    expect(logs.map((l) => l.message)).toContain(`Removed ${target}, left by an interrupted earlier attempt`);
    expect(logs.some((l) => l.message.startsWith("Storage volume killed-sda already exists"))).toBe(false);
    expect(qemuImgInfo(target).format).toBe("qcow2");
    expect(qemuImgCompare(sourceFile, target)).toBe(0);

    // The victim comes back: whatever its previous process left running is killed, its scratch wiped.
    const back = agent("victim");
    await waitFor("the victim to register again", () => (back.output().includes("registered as victim") ? true : undefined));
    expect(back.output()).not.toMatch(/conversion #\d+/);
    expect(readdirSync(path.join(tmp.dir, "scratch", "victim"))).toEqual([]);
    const stray = processesMentioning(target).filter((pid) => !children.some((c) => c.child.pid === pid));
    expect(stray).toEqual([]);
  });
});

describe("cancel from the console", () => {
  test("reaches the agent running the copy: the qemu-img is gone, the partial volume removed, the conversion cancelled", async () => {
    const target = path.join(tmp.dir, "out", "cancel-sda.qcow2");
    const id = await seedConversion(prisma, { guestName: "cancel-me", plan: copyPlan([{ name: "cancel-sda", source: await source("cancel"), target }], { format: "qcow2", allocation: "sparse" }) });
    await midCopy(id);
    expect(processesMentioning(target).length).toBeGreaterThan(0);
    const asked = Date.now();
    expect(await requestCancel(prisma, ADMIN, id)).toMatchObject({ status: "running", cancelRequested: true });
    const done = await finished(id);
    process.stderr.write(`cancel reached the agent and settled in ${((Date.now() - asked) / 1000).toFixed(1)} s\n`);
    expect(done).toMatchObject({ status: "cancelled", errorCode: "CANCELLED", error: "Cancelled from the console." });
    expect(processesMentioning(target)).toEqual([]);
    expect(existsSync(target)).toBe(false);
    const logs = await prisma.conversionLog.findMany({ where: { conversionId: id }, orderBy: { seq: "asc" } });
    expect(logs.map((l) => l.message)).toContain(`Copy cancelled: removed the partial volume cancel-sda (${target})`);
    expect(await prisma.auditEvent.findFirst({ where: { action: "conversion.cancel-request", targetId: id } })).toMatchObject({ actorEmail: ADMIN.email, after: { cancelRequested: true } });
  });

  test("SIGTERM stops an agent cleanly: exit 0, and what it was running is reported interrupted", async () => {
    const target = path.join(tmp.dir, "out", "term-sda.qcow2");
    const id = await seedConversion(prisma, { guestName: "term", plan: copyPlan([{ name: "term-sda", source: await source("term"), target }], { format: "qcow2", allocation: "sparse" }) });
    await midCopy(id);
    const running = await prisma.conversion.findUniqueOrThrow({ where: { id }, include: { agent: true } });
    const child = children.find((c) => c.child.exitCode === null && c.child.signalCode === null && c.output().includes(`registered as ${running.agent!.name}`))!;
    child.child.kill("SIGTERM");
    expect(await child.exited).toBe(0);
    const c = await prisma.conversion.findUniqueOrThrow({ where: { id } });
    expect(c).toMatchObject({ status: "interrupted", errorCode: "AGENT_STOPPED" });
    expect(c.error).toBe(`The agent ${running.agent!.name} was stopped (SIGTERM) while running this conversion.`);
    expect(processesMentioning(target)).toEqual([]);
  });
});
