// The queue with real agents: two runtimes (one over HTTP with a token, one embedded) race for
// ten copy jobs run by the engine's real copy stage; cancel and retry as a person does them.
import { mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readCapabilities, storedCapabilities, whyUnclaimable } from "../../../server/agents/capabilities.ts";
import { copyRunner } from "../../../server/agents/runners.ts";
import { claimConversion, interruptRunning } from "../../../server/agents/queue.ts";
import { recordOutputs } from "../../../server/agents/reports.ts";
import { requestCancel, retry } from "../../../server/conversions/change-conversion.ts";
import { registerAgent } from "../../../server/agents/agents.ts";
import { startAgentRuntime, type AgentRuntime } from "../../../server/agents/runtime.ts";
import { createAgentToken } from "../../../server/agents/tokens.ts";
import { databaseTransport } from "../../../server/agents/db-transport.ts";
import { httpTransport } from "../../../server/agents/transport.ts";
import type { Db } from "../../../server/db/client.ts";
import { freshDatabase } from "../db.ts";
import { MiB, qemuImgCompare, qemuImgInfo, rawImage, scratch } from "../engine/helpers.ts";
import { ADMIN, copyPlan, seedConversion, serveAgentApi, waitFor } from "./helpers.ts";

let prisma: Db;
let api: { url: string; close: () => Promise<void> };
const tmp = scratch("agents-queue");
const runtimes: AgentRuntime[] = [];

beforeAll(async () => {
  ({ prisma } = await freshDatabase("agents_queue"));
  api = await serveAgentApi(prisma);
});
afterAll(async () => {
  for (const r of runtimes) await r.stop();
  await api?.close();
  await prisma?.$disconnect();
  tmp.cleanup();
});

describe("two agents racing for ten jobs", () => {
  test("each job runs exactly once, on one agent, and both agents got work", async () => {
    const source = path.join(tmp.dir, "race-source.img");
    rawImage(source, 64 * MiB, [[0, 24 * MiB]]);
    const out = path.join(tmp.dir, "race-out");
    mkdirSync(out);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const target = path.join(out, `guest${i}-sda.qcow2`);
      ids.push(await seedConversion(prisma, { guestName: `guest${i}`, plan: copyPlan([{ name: `guest${i}-sda`, source, target }], { format: "qcow2", allocation: "sparse" }) }));
    }
    const { secret } = await createAgentToken(prisma, ADMIN, { name: "racer" });
    // Capabilities read once (real ones), so both agents register and start claiming together.
    const caps = await readCapabilities({ scratchDir: tmp.dir, concurrency: 1 });
    const common = { runner: copyRunner, version: "test", concurrency: 1, scratchDir: tmp.dir, sourceDirs: [tmp.dir], pollMs: 100, readCapabilities: () => Promise.resolve(caps) };
    runtimes.push(
      ...(await Promise.all([
        startAgentRuntime({ ...common, transport: httpTransport(api.url, secret), name: "racer-remote" }),
        startAgentRuntime({ ...common, transport: databaseTransport(prisma), name: "racer-embedded" }),
      ])),
    );

    const rows = await waitFor("ten finished conversions", async () => {
      const r = await prisma.conversion.findMany({ where: { id: { in: ids } }, include: { agent: true } });
      return r.every((c) => c.status !== "queued" && c.status !== "running") ? r : undefined;
    });
    for (const c of rows) {
      expect(c).toMatchObject({ status: "succeeded", attempt: 1, error: null });
      const logs = await prisma.conversionLog.findMany({ where: { conversionId: c.id }, orderBy: { seq: "asc" } });
      expect(logs.filter((l) => l.message.startsWith("Transferring storage volume"))).toHaveLength(1);
      expect(logs.filter((l) => / runs attempt /.test(l.message)).map((l) => l.message)).toEqual([`Agent ${c.agent!.name} on ${c.agent!.hostname} runs attempt 1`]);
      expect(logs.map((l) => l.seq)).toEqual(logs.map((_, i) => i));
      const target = path.join(out, `${c.guestName}-sda.qcow2`);
      expect(qemuImgInfo(target).format).toBe("qcow2");
      expect(qemuImgCompare(source, target)).toBe(0);
    }
    const perAgent = new Map<string, number>();
    for (const c of rows) perAgent.set(c.agent!.name, (perAgent.get(c.agent!.name) ?? 0) + 1);
    expect([...perAgent.keys()].sort()).toEqual(["racer-embedded", "racer-remote"]);
    expect(perAgent.get("racer-embedded")! + perAgent.get("racer-remote")!).toBe(10);
    // Each attempt's scratch directory is gone once it finished.
    expect(readdirSync(path.join(tmp.dir, "racer-remote"))).toEqual([]);
    expect(readdirSync(path.join(tmp.dir, "racer-embedded"))).toEqual([]);
    for (const r of runtimes.splice(0)) await r.stop();
  });
});

describe("claims at the database", () => {
  test("twenty concurrent claims by two agents for ten rows: every row claimed once, nobody claims twice", async () => {
    const caps = await readCapabilities({ scratchDir: tmp.dir, concurrency: 32 });
    const a = await registerAgent(prisma, { name: "claimer-a", hostname: "a", version: "t", concurrency: 32, capabilities: caps }, { kind: "embedded" });
    const b = await registerAgent(prisma, { name: "claimer-b", hostname: "b", version: "t", concurrency: 32, capabilities: caps }, { kind: "embedded" });
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(await seedConversion(prisma, { guestName: `row${i}` }));
    const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => claimConversion(prisma, { id: i % 2 === 0 ? a.agentId : b.agentId })));
    const got = claims.filter((c) => c !== null).map((c) => c.id);
    expect(got.sort()).toEqual([...ids].sort());
    const rows = await prisma.conversion.findMany({ where: { id: { in: ids } } });
    expect(rows.every((r) => r.status === "running" && r.attempt === 1)).toBe(true);
    for (const r of rows) await requestCancel(prisma, ADMIN, r.id);
  });
});

describe("cancel and retry, as a person does them (the console's requestCancel and retry)", () => {
  test("cancelling a queued conversion cancels it at once, audited; a finished one cannot be cancelled", async () => {
    const id = await seedConversion(prisma);
    expect(await requestCancel(prisma, ADMIN, id)).toMatchObject({ status: "cancelled", finishedAt: expect.any(Date) });
    expect(await prisma.conversion.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "cancelled", cancelRequested: false });
    expect(await prisma.auditEvent.findFirst({ where: { action: "conversion.cancel", targetId: id } })).toMatchObject({ actorEmail: ADMIN.email, before: { status: "queued" }, after: { status: "cancelled" } });
    await expect(requestCancel(prisma, ADMIN, id)).rejects.toThrow(/was cancelled: there is nothing to cancel/);
  });

  test("cancelling a running conversion sets cancel_requested for its agent, audited; asking twice is refused", async () => {
    const caps = await readCapabilities({ scratchDir: tmp.dir, concurrency: 4 });
    const a = await registerAgent(prisma, { name: "cancel-target", hostname: "c", version: "t", concurrency: 4, capabilities: caps }, { kind: "embedded" });
    const id = await seedConversion(prisma, { guestName: "to-cancel" });
    expect((await claimConversion(prisma, { id: a.agentId }))?.id).toBe(id);
    expect(await requestCancel(prisma, ADMIN, id)).toMatchObject({ status: "running", cancelRequested: true });
    expect(await prisma.auditEvent.findFirst({ where: { action: "conversion.cancel-request", targetId: id } })).toMatchObject({ actorEmail: ADMIN.email, before: { status: "running", cancelRequested: false }, after: { status: "running", cancelRequested: true } });
    await expect(requestCancel(prisma, ADMIN, id)).rejects.toThrow(/was already requested; its agent is stopping it/);
  });

  test("retry requeues, keeping the plan unless re-planning is asked; audited; a queued one is not retried", async () => {
    const plan = { version: 1, disks: [] };
    const id = await seedConversion(prisma, { plan });
    await expect(retry(prisma, ADMIN, id)).rejects.toThrow(/is queued: only a failed, cancelled or interrupted conversion can be retried/);
    await requestCancel(prisma, ADMIN, id);
    expect(await retry(prisma, ADMIN, id)).toMatchObject({ status: "queued", plan });
    expect(await prisma.conversion.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "queued", plan, error: null, errorCode: null, finishedAt: null });
    await requestCancel(prisma, ADMIN, id);
    await retry(prisma, ADMIN, id, { replan: true });
    expect((await prisma.conversion.findUniqueOrThrow({ where: { id } })).plan).toBeNull();
    const audits = await prisma.auditEvent.findMany({ where: { action: "conversion.retry", targetId: id }, orderBy: { id: "asc" } });
    expect(audits.map((a) => (a.after as { hasPlan: boolean }).hasPlan)).toEqual([true, false]);
    await requestCancel(prisma, ADMIN, id);
  });

  test("retry of an interrupted attempt that left outputs keeps them: the next claim hands them over for removal", async () => {
    const caps = await readCapabilities({ scratchDir: tmp.dir, concurrency: 4 });
    const a = await registerAgent(prisma, { name: "left-outputs", hostname: "o", version: "t", concurrency: 4, capabilities: caps }, { kind: "embedded" });
    const id = await seedConversion(prisma, { guestName: "half-written", plan: { version: 1, disks: [] } });
    const first = await claimConversion(prisma, { id: a.agentId });
    expect(first?.id).toBe(id);
    const left = [path.join(tmp.dir, "half-written-sda.qcow2")];
    await recordOutputs(prisma, { agentId: a.agentId, conversionId: id, attempt: first!.attempt, paths: left });
    await prisma.$transaction((tx) => interruptRunning(tx, { agentId: a.agentId }, "The agent went away."));
    expect(await prisma.conversion.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "interrupted", outputs: { paths: left } });

    expect(await retry(prisma, ADMIN, id)).toMatchObject({ status: "queued", error: null });
    expect((await prisma.conversion.findUniqueOrThrow({ where: { id } })).outputs).toMatchObject({ paths: left });
    const again = await claimConversion(prisma, { id: a.agentId });
    expect(again).toMatchObject({ id, attempt: 2, cleanup: left });
    expect(await prisma.auditEvent.findFirst({ where: { action: "conversion.retry", targetId: id } })).toMatchObject({ before: { status: "interrupted", error: "The agent went away." } });
    await requestCancel(prisma, ADMIN, id);
  });
});

describe("a conversion goes only to an agent that can run it", () => {
  test("missing tools or a storage pool the agent lacks: not claimed, and whyUnclaimable says why", async () => {
    const real = await readCapabilities({ scratchDir: tmp.dir, concurrency: 1, libvirtUri: "test:///default" });
    const noV2v = { ...real, tools: real.tools.map((t) => (t.name === "virt-v2v-in-place" ? { name: t.name, package: t.package, found: false } : t)) };
    const a = await registerAgent(prisma, { name: "no-v2v", hostname: "h1", version: "t", concurrency: 1, capabilities: noV2v }, { kind: "embedded" });
    const id = await seedConversion(prisma, { guestName: "needs-v2v" });
    expect(await claimConversion(prisma, { id: a.agentId })).toBeNull();
    const agents = async () => (await prisma.agent.findMany({ where: { retiredAt: null } })).map((x) => ({ ...x, capabilities: storedCapabilities(x.capabilities) }));
    // The racers above are still within the timeout: look at this agent alone.
    const live = (await agents()).filter((x) => x.name === "no-v2v");
    const conversion = await prisma.conversion.findUniqueOrThrow({ where: { id } });
    expect(whyUnclaimable(conversion, live)).toBe("No agent can run this conversion: virt-v2v-in-place is missing on every agent (Debian package virt-v2v)");

    // A dry run does not need virt-v2v-in-place: the same agent takes it.
    const dry = await seedConversion(prisma, { guestName: "dry", dryRun: true });
    expect(whyUnclaimable(await prisma.conversion.findUniqueOrThrow({ where: { id: dry } }), live)).toBeNull();
    expect((await claimConversion(prisma, { id: a.agentId }))?.id).toBe(dry);

    const b = await registerAgent(prisma, { name: "full", hostname: "h2", version: "t", concurrency: 1, capabilities: real }, { kind: "embedded" });
    const pool = await seedConversion(prisma, { guestName: "to-pool", request: { source: { method: "libvirtxml", file: "/g.xml" }, output: { method: "libvirt", storage: "nosuchpool" } } });
    const fullOnly = (await agents()).filter((x) => x.name === "full");
    expect(whyUnclaimable(await prisma.conversion.findUniqueOrThrow({ where: { id: pool } }), fullOnly)).toBe(
      "No agent can run this conversion: no agent has the storage pool nosuchpool (Output pool nosuchpool is not a valid storage pool.)",
    );
    // The full agent takes the conversion needing virt-v2v-in-place, never the one naming a missing pool.
    expect((await claimConversion(prisma, { id: b.agentId }))?.id).toBe(id);
    expect(whyUnclaimable(await prisma.conversion.findUniqueOrThrow({ where: { id: pool } }), [])).toBe("No agent can run this conversion: no agent is connected");
  });
});
