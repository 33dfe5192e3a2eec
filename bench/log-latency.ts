// Log latency: an agent logs at a steady 10,000 lines/s (its real reporter and HTTP transport)
// to a real console process while 20 signed-in Socket.IO clients watch; each line's time from
// the agent's log call (its `at`) to its arrival at each client, on one machine's clock.
// Baseline: a Socket.IO round trip (`ping`) on the same console, the floor under any delivery.
import { randomUUID } from "node:crypto";
import { io as connect } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../server/realtime/events.ts";
import type { Socket } from "socket.io-client";
import { benchMessage, claimRunningConversion, startLiveConsole, watchConversion, type LiveConsole } from "./live-setup.ts";
import { median, percentile } from "./stats.ts";
import type { BenchRow } from "./types.ts";

const PORT = Number(process.env.BENCH_LATENCY_PORT ?? 3541);
const PG_PORT = Number(process.env.BENCH_LATENCY_PG_PORT ?? 54541);
const CLIENTS = 20;
const RATE = 10_000;
const SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 15);
const RUNS = Number(process.env.BENCH_LOG_RUNS ?? 3);
const GOAL_P99_MS = 250;

type Run = { p50: number; p99: number; max: number; lost: number; achievedRate: number };

/** Merged per-millisecond histograms -> the value at percentile p. */
function fromHistogram(h: number[], p: number): number {
  const total = h.reduce((s, v) => s + v, 0);
  let seen = 0;
  for (let ms = 0; ms < h.length; ms++) {
    seen += h[ms] ?? 0;
    if (seen >= (p / 100) * total) return ms;
  }
  return h.length;
}

async function once(live: LiveConsole, n: number): Promise<Run> {
  const lines = RATE * SECONDS;
  const job = await claimRunningConversion(live, `bench-latency-${n}-${randomUUID().slice(0, 6)}`);
  const watchers = watchConversion(live, job.conversionId, { clients: CLIENTS, workers: 2, lines, timeoutMs: SECONDS * 1000 + 120_000 });
  await watchers.ready;
  // A steady schedule: every 5 ms, log what the rate says should have been logged by now.
  const started = Date.now();
  let logged = 0;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(lines, Math.floor(((Date.now() - started) / 1000) * RATE));
      for (; logged < due; logged++) job.reporter.log("info", benchMessage(logged), "copy");
      if (logged >= lines) {
        clearInterval(tick);
        resolve();
      }
    }, 5);
  });
  const achievedRate = lines / ((Date.now() - started) / 1000);
  await job.reporter.flush();
  const reports = await watchers.done;
  await job.stop();
  const merged: number[] = [];
  for (const r of reports) r.latencyHistogram.forEach((v, ms) => (merged[ms] = (merged[ms] ?? 0) + v));
  const filled = Array.from(merged, (v) => v ?? 0);
  return {
    p50: fromHistogram(filled, 50),
    p99: fromHistogram(filled, 99),
    max: filled.length - 1,
    lost: reports.reduce((s, r) => s + (lines - r.unique) + r.duplicates, 0),
    achievedRate,
  };
}

/** Median Socket.IO round trip on the console: the floor under any live delivery. */
async function roundTrip(live: LiveConsole): Promise<number> {
  const c: Socket<ServerToClientEvents, ClientToServerEvents> = connect(live.console.url, { path: "/socket.io", transports: ["websocket"], extraHeaders: { cookie: live.cookie }, reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    c.once("connect", () => resolve());
    c.once("connect_error", reject);
  });
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    await new Promise((r) => c.emit("ping", r));
    times.push(performance.now() - t);
  }
  c.disconnect();
  return median(times);
}

export async function run(): Promise<BenchRow[]> {
  const live = await startLiveConsole(PORT, PG_PORT);
  try {
    const runs: Run[] = [];
    for (let n = 0; n < RUNS; n++) runs.push(await once(live, n));
    const rtt = await roundTrip(live);
    const p99 = median(runs.map((r) => r.p99));
    const p50 = median(runs.map((r) => r.p50));
    const lost = runs.reduce((s, r) => s + r.lost, 0);
    const sorted = runs.map((r) => r.p99).sort((a, b) => a - b);
    return [
      {
        what: `log latency: agent log call -> ${CLIENTS} clients at ${RATE.toLocaleString("en-US")} lines/s for ${SECONDS} s (median of ${RUNS})`,
        baseline: `${rtt.toFixed(1)} ms (Socket.IO round trip)`,
        ferry: `p50 ${p50} ms, p99 ${p99} ms (p99 per run: ${runs.map((r) => r.p99).join(", ")}; max ${Math.max(...runs.map((r) => r.max))} ms)${lost ? `; ${lost} lines lost or doubled` : ""}`,
        goal: `p99 < ${GOAL_P99_MS} ms`,
        pass: p99 < GOAL_P99_MS && lost === 0,
        raw: { p50Ms: p50, p99Ms: p99, p99MinMs: sorted[0] ?? NaN, p99MaxMs: percentile(sorted, 100), roundTripMs: rtt, lostOrDoubled: lost, achievedLinesPerSecond: median(runs.map((r) => r.achievedRate)) },
      },
    ];
  } finally {
    await live.stop();
  }
}
