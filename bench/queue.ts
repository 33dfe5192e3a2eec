// The queue: three agents (in this process, each a loop over the real claimConversion and
// finishConversion of server/agents/queue.ts, no-op stages) drain 1,000 queued conversions
// from a real embedded PostgreSQL. Checked: no conversion claimed twice (by the claims each
// agent got back, and by each row's attempt counter), none left; measured: each claim's time.
// Baselines: one agent alone draining a queue of the same size (no contention), and a bare
// `SELECT 1` round trip (what one statement costs on this machine right now).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { randomUUID } from "node:crypto";
import { registerAgent } from "../server/agents/agents.ts";
import type { AgentCapabilities } from "../server/agents/capabilities.ts";
import { claimConversion, finishConversion } from "../server/agents/queue.ts";
import { createPrisma, type Db } from "../server/db/client.ts";
import { startEmbeddedPostgres } from "../server/db/embedded-postgres.ts";
import { applyMigrations } from "../server/db/migrate.ts";
import { TOOL_NAMES, TOOLS } from "../server/engine/tools.ts";
import { median, percentile } from "./stats.ts";
import type { BenchRow } from "./types.ts";

const PG_PORT = Number(process.env.FERRY_BENCH_QUEUE_PG_PORT ?? 54531);
const CONVERSIONS = 1000;

/** An agent that has every tool: every queued conversion is runnable on it. */
function capabilities(): AgentCapabilities {
  return {
    tools: TOOL_NAMES.map((name) => ({ name, package: TOOLS[name].package, found: true, version: "bench" })),
    scratch: { dir: tmpdir(), freeBytes: 100 * 1024 ** 3 },
    concurrency: 1,
    libvirt: { uri: "qemu:///system", pools: [], networks: [], bridges: [] },
    collectedAt: new Date().toISOString(),
  };
}

async function seed(prisma: Db, count: number, prefix: string): Promise<void> {
  const request = { source: { method: "libvirtxml", file: "/srv/guest.xml" }, output: { method: "local", storage: "/srv/out" } };
  const base = Date.now();
  await prisma.conversion.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      id: randomUUID(),
      guestName: `${prefix}-${i}`,
      request,
      createdByEmail: "bench@example.test",
      createdAt: new Date(base + i),
    })),
  });
}

type Claim = { agent: string; id: string; attempt: number; ms: number };

/** One agent's loop: claim, run nothing, report success, until a claim comes back empty. */
async function drain(prisma: Db, agentId: string, claims: Claim[], empty: number[]): Promise<void> {
  for (;;) {
    const start = performance.now();
    const job = await claimConversion(prisma, { id: agentId });
    const ms = performance.now() - start;
    if (!job) {
      empty.push(ms);
      return;
    }
    claims.push({ agent: agentId, id: job.id, attempt: job.attempt, ms });
    await finishConversion(prisma, { agentId, conversionId: job.id, attempt: job.attempt, status: "succeeded", result: {} });
  }
}

async function agents(prisma: Db, names: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const name of names) {
    const reply = await registerAgent(prisma, { name, hostname: "bench", version: "bench", concurrency: 1, capabilities: capabilities() }, { kind: "embedded" });
    ids.push(reply.agentId);
  }
  return ids;
}

export async function run(): Promise<BenchRow[]> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "ferry-bench-queue-pg-"));
  const pg = await startEmbeddedPostgres({ dataDir, port: PG_PORT, database: "ferry_bench" });
  const prisma = createPrisma(pg.url);
  try {
    await applyMigrations(pg.url);

    // Baseline: one agent alone.
    const [solo] = await agents(prisma, ["bench-solo"]);
    await seed(prisma, CONVERSIONS, "solo");
    const soloClaims: Claim[] = [];
    await drain(prisma, solo as string, soloClaims, []);

    // Three agents racing.
    await prisma.conversion.deleteMany({});
    await seed(prisma, CONVERSIONS, "race");
    const ids = await agents(prisma, ["bench-a", "bench-b", "bench-c"]);
    const claims: Claim[] = [];
    const empty: number[] = [];
    const started = performance.now();
    await Promise.all(ids.map((id) => drain(prisma, id, claims, empty)));
    const wallMs = performance.now() - started;

    // The machine's floor: one bare round trip to the same database, as many times.
    const roundTrips: number[] = [];
    for (let i = 0; i < CONVERSIONS; i++) {
      const start = performance.now();
      await prisma.$queryRaw`SELECT 1`;
      roundTrips.push(performance.now() - start);
    }
    const floorP99 = percentile(roundTrips, 99);

    const perId = new Map<string, number>();
    for (const c of claims) perId.set(c.id, (perId.get(c.id) ?? 0) + 1);
    const doubles = [...perId.values()].filter((n) => n > 1).length;
    const rows = await prisma.conversion.findMany({ select: { status: true, attempt: true } });
    const notOnce = rows.filter((r) => r.status !== "succeeded" || r.attempt !== 1).length;
    const perAgent = ids.map((id) => claims.filter((c) => c.agent === id).length);
    const ms = claims.map((c) => c.ms);
    const p99 = percentile(ms, 99);
    const soloP99 = percentile(soloClaims.map((c) => c.ms), 99);
    return [
      {
        what: `queue: 3 agents drain ${CONVERSIONS} queued conversions (no-op stages): claims`,
        baseline: `${soloClaims.length} claimed by 1 agent alone`,
        ferry: `${claims.length} claimed (${perAgent.join("/")} per agent), ${doubles} claimed twice, ${notOnce} rows not run exactly once, ${Math.round((claims.length / wallMs) * 1000)} claims/s`,
        goal: "no double claim",
        pass: doubles === 0 && notOnce === 0 && claims.length === CONVERSIONS,
        raw: { claims: claims.length, doubleClaims: doubles, rowsNotRunOnce: notOnce, wallMs, claimsPerSecond: (claims.length / wallMs) * 1000 },
      },
      {
        what: "queue: claim time, 3 agents racing (p99 over every successful claim)",
        baseline: `p99 ${soloP99.toFixed(1)} ms (1 agent alone); SELECT 1 round trip p99 ${floorP99.toFixed(1)} ms`,
        ferry: `p99 ${p99.toFixed(1)} ms (median ${median(ms).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms)`,
        goal: "p99 < 50 ms",
        pass: p99 < 50,
        raw: { p99Ms: p99, medianMs: median(ms), maxMs: Math.max(...ms), soloP99Ms: soloP99, selectOneP99Ms: floorP99, selectOneMedianMs: median(roundTrips), emptyClaimMedianMs: median(empty) },
      },
    ];
  } finally {
    await prisma.$disconnect();
    await pg.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
