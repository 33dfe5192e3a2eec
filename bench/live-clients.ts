// A worker thread holding some of the benchmark's signed-in Socket.IO clients. Each client
// subscribes to the conversion from line 0 and checks what a page would: every line number
// arrives exactly once (a bitmap counts repeats), the page's LineSequence (the real one) puts
// them in order with the right text, and how long each line took from the agent's `at` to here.
import { parentPort, workerData } from "node:worker_threads";
import { io as connect, type Socket } from "socket.io-client";
import { LineSequence } from "../components/conversions/live-model.ts";
import { fromLiveColumns, type LiveLogColumns } from "../server/log-columns.ts";
import type { ClientToServerEvents, ServerToClientEvents } from "../server/realtime/events.ts";

export type ClientTask = { url: string; cookie: string; conversionId: string; clients: number; lines: number; timeoutMs: number };

export type ClientReport = {
  received: number;
  unique: number;
  duplicates: number;
  /** Lines LineSequence appended in order, with the expected text. */
  ordered: number;
  wrongText: number;
  /** Batches whose first line was not the line after the previous batch's last (arrival order). */
  outOfOrderBatches: number;
  /** Date.now() when the last line arrived, or null when it never did. */
  completeAt: number | null;
  /** Milliseconds from the line's `at` to its arrival, one count per millisecond (index = ms). */
  latencyHistogram: number[];
};

type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

const task = workerData as ClientTask;
const expectedText = /block (\d+) of/;

/** Milliseconds from each line's `at` to `now`, one Date.parse per run of equal times (they come in runs). */
function agesOf(at: LiveLogColumns["at"], now: number): number[] {
  const ages: number[] = [];
  for (const [iso, n] of at) {
    const ms = Math.max(0, now - Date.parse(iso));
    for (let i = 0; i < n; i++) ages.push(ms);
  }
  return ages;
}

function watch(client: LiveClient, resolve: (r: ClientReport) => void): void {
  const seen = new Uint8Array(task.lines + 1);
  const sequence = new LineSequence();
  const histogram: number[] = [];
  const report: ClientReport = { received: 0, unique: 0, duplicates: 0, ordered: 0, wrongText: 0, outOfOrderBatches: 0, completeAt: null, latencyHistogram: histogram };
  let lastOfBatch = 0;
  client.on("conversion:logs", (p) => {
    if (p.id !== task.conversionId) return;
    const now = Date.now();
    const lines = fromLiveColumns(p.columns);
    const ages = agesOf(p.columns.at, now);
    const first = lines[0];
    if (first && lastOfBatch !== 0 && first.line !== lastOfBatch + 1) report.outOfOrderBatches++;
    lastOfBatch = lines[lines.length - 1]?.line ?? lastOfBatch;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      report.received++;
      if (l.line > task.lines || seen[l.line]) report.duplicates++;
      else {
        seen[l.line] = 1;
        report.unique++;
        const ms = ages[i]!;
        histogram[ms] = (histogram[ms] ?? 0) + 1;
      }
    }
    sequence.accept(lines, now);
    // Check what was appended, then let it go (20 clients holding every line would be GBs).
    for (const l of sequence.lines) {
      report.ordered++;
      if (Number(expectedText.exec(l.message)?.[1]) !== l.line - 1) report.wrongText++;
    }
    sequence.lines.length = 0;
    if (sequence.last >= task.lines && report.completeAt === null) {
      report.completeAt = now;
      resolve(report);
    }
  });
  setTimeout(() => resolve(report), task.timeoutMs).unref();
}

const clients: LiveClient[] = [];
const reports: Promise<ClientReport>[] = [];
for (let i = 0; i < task.clients; i++) {
  const client: LiveClient = connect(task.url, { path: "/socket.io", transports: ["websocket"], extraHeaders: { cookie: task.cookie }, reconnection: false, forceNew: true });
  clients.push(client);
  reports.push(new Promise((resolve) => watch(client, resolve)));
}
await Promise.all(
  clients.map(
    (c) =>
      new Promise<void>((resolve, reject) => {
        c.once("connect_error", reject);
        c.emit("conversion:subscribe", { id: task.conversionId, after: 0 }, (reply) => (reply.ok ? resolve() : reject(new Error(reply.error))));
      }),
  ),
);
parentPort!.postMessage({ type: "ready" });
const done = await Promise.all(reports);
for (const c of clients) c.disconnect();
// Sparse histograms travel as plain arrays with holes filled.
parentPort!.postMessage({ type: "done", reports: done.map((r) => ({ ...r, latencyHistogram: Array.from(r.latencyHistogram, (v) => v ?? 0) })) });
