// Log pipeline throughput: lines per second from one agent (its real reporter and HTTP
// transport) through a real console process into PostgreSQL and out to 20 signed-in Socket.IO
// clients, counted until the last client holds the last line. No line may be lost or doubled:
// each client checks every line number arrives exactly once and that the page's LineSequence
// yields 1..N with the right text. Baseline: the same lines inserted straight into the same
// PostgreSQL (one unnest INSERT per 1,000 lines), the ceiling the pipeline sits under.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { seedConversion } from "../test/integration/agents/helpers.ts";
import { benchMessage, claimRunningConversion, startLiveConsole, watchConversion, yieldLoop, type LiveConsole } from "./live-setup.ts";
import { median } from "./stats.ts";
import type { BenchRow } from "./types.ts";

const PORT = Number(process.env.BENCH_LOG_PORT ?? 3540);
const PG_PORT = Number(process.env.BENCH_LOG_PG_PORT ?? 54540);
const CLIENTS = 20;
const LINES = Number(process.env.BENCH_LOG_LINES ?? 200_000);
const RUNS = Number(process.env.BENCH_LOG_RUNS ?? 3);
const GOAL = 50_000;

type Run = { linesPerSecond: number; sendSeconds: number; lost: number; doubled: number; misordered: number; outOfOrderBatches: number; stored: number };

async function once(live: LiveConsole, n: number): Promise<Run> {
  const job = await claimRunningConversion(live, `bench-throughput-${n}-${randomUUID().slice(0, 6)}`);
  const watchers = watchConversion(live, job.conversionId, { clients: CLIENTS, workers: 2, lines: LINES, timeoutMs: 300_000 });
  await watchers.ready;
  const started = Date.now();
  // As fast as the agent can log, yielding now and then so its sends go out meanwhile.
  for (let i = 0; i < LINES; i++) {
    job.reporter.log("info", benchMessage(i), "copy");
    if (i % 2000 === 1999) await yieldLoop();
  }
  await job.reporter.flush();
  const sent = Date.now();
  const reports = await watchers.done;
  await job.stop();
  const completeAt = Math.max(...reports.map((r) => r.completeAt ?? Infinity));
  const stored = await live.prisma.conversionLog.count({ where: { conversionId: job.conversionId } });
  return {
    linesPerSecond: Number.isFinite(completeAt) ? LINES / ((completeAt - started) / 1000) : 0,
    sendSeconds: (sent - started) / 1000,
    lost: reports.reduce((s, r) => s + (LINES - r.unique), 0),
    doubled: reports.reduce((s, r) => s + r.duplicates, 0),
    misordered: reports.reduce((s, r) => s + (LINES - r.ordered) + r.wrongText, 0),
    outOfOrderBatches: reports.reduce((s, r) => s + r.outOfOrderBatches, 0),
    stored,
  };
}

/** The same lines, 1,000 to a statement, straight into conversion_logs: no HTTP, no Socket.IO. */
async function postgresAlone(live: LiveConsole): Promise<number> {
  const id = await seedConversion(live.prisma, { guestName: `bench-pg-${randomUUID().slice(0, 6)}` });
  const at = new Date().toISOString();
  const t = performance.now();
  for (let from = 0; from < LINES; from += 1000) {
    const seqs = Array.from({ length: 1000 }, (_, i) => from + i);
    await live.prisma.$executeRaw`
      INSERT INTO conversion_logs (conversion_id, attempt, seq, line, at, level, stage, message)
      SELECT ${id}, 1, s, s + 1, ${at}::timestamptz, 'info', 'copy', m FROM unnest(${seqs}::int[], ${seqs.map(benchMessage)}::text[]) AS u(s, m)`;
  }
  return LINES / ((performance.now() - t) / 1000);
}

export async function run(): Promise<BenchRow[]> {
  const live = await startLiveConsole(PORT, PG_PORT);
  try {
    const runs: Run[] = [];
    for (let n = 0; n < RUNS; n++) runs.push(await once(live, n));
    const baseline = await postgresAlone(live);
    const rate = median(runs.map((r) => r.linesPerSecond));
    const lost = runs.reduce((s, r) => s + r.lost + r.doubled + r.misordered + (LINES - r.stored), 0);
    const fmt = (v: number) => Math.round(v).toLocaleString("en-US");
    return [
      {
        what: `log throughput: 1 agent -> console -> Postgres -> ${CLIENTS} clients (${fmt(LINES)} lines, median of ${RUNS})`,
        baseline: `${fmt(baseline)} lines/s (Postgres alone)`,
        ferry: `${fmt(rate)} lines/s (runs: ${runs.map((r) => fmt(r.linesPerSecond)).join(", ")}); ${lost === 0 ? "no line lost, doubled or out of order" : `${lost} lines lost, doubled or misordered`}`,
        goal: ">= 50,000 lines/s, none lost",
        pass: rate >= GOAL && lost === 0,
        raw: {
          linesPerSecond: rate,
          postgresAloneLinesPerSecond: baseline,
          lostDoubledOrMisordered: lost,
          outOfOrderBatches: runs.reduce((s, r) => s + r.outOfOrderBatches, 0),
          agentSendSeconds: median(runs.map((r) => r.sendSeconds)),
          lines: LINES,
          clients: CLIENTS,
        },
      },
    ];
  } finally {
    await live.stop();
  }
}
