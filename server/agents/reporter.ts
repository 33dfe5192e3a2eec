// The StageContext an agent hands its runner: log lines are numbered (seq) and sent in batches,
// progress is sent at most twice a second (the newest event wins), both in the background so a
// stage never waits on the network. flush() drains everything before the result is sent.
//
// Batching: up to MAX_IN_FLIGHT requests out at a time, each with the lines that follow on from
// the one before it. A line waits at most LINGER_MS for company while a request slot is free;
// a full batch (MAX_BATCH lines, or MAX_BATCH_CHARS of text) leaves at once; when a request returns, the lines gathered meanwhile
// leave in the next one. So a quiet agent's lines leave within milliseconds, and a busy one
// sends few large batches (one statement and one room event per batch on the console), the
// next already on its way while the console stores the one before: the console stores a batch
// only after the one before it (by seq), so the lines keep their order.
//
// A request that fails (console down, a proxy error) puts its lines back in front, in seq order,
// once every request out has answered: nothing more is sent meanwhile, so lines are never sent
// out of order after a failure. They are retried on the next flush (same seqs: the console
// stores each once). A stale attempt (409) drops everything.
import type { LogLevel, ProgressEvent } from "../engine/context.ts";
import { toSeqColumns } from "../log-columns.ts";
import type { TLogLine } from "./protocol.ts";
import { AgentRequestError, type AgentTransport } from "./transport.ts";

const FLUSH_MS = 500;
const LINGER_MS = 20;
// As many lines as the protocol takes (MAX_LOG_LINES): per batch the console pays a request, an
// authentication, a statement and its commit, and each watcher a message; at 5,000 a batch the
// whole path ran about a quarter slower (README, "Live logs and history").
const MAX_BATCH = 10_000;
/** Message text per batch, at most (a batch of long lines is cut short of MAX_BATCH). */
const MAX_BATCH_CHARS = 4 * 1024 * 1024;
const MAX_IN_FLIGHT = 2;
/** How long close() keeps retrying lines the console did not take (matches the result's retries). */
const CLOSE_RETRY_MS = 120_000;

export type Reporter = {
  log(level: LogLevel, message: string, stage: string): void;
  progress(event: ProgressEvent): void;
  /** Sends what is pending; resolves when sent (or given up on for a stale attempt, or after a failed request: those lines stay pending). */
  flush(): Promise<void>;
  /** Sends everything, retrying for up to closeRetryMs; resolves when every line was sent or given up on. */
  close(): Promise<void>;
};

function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export type ReporterOptions = { closeRetryMs?: number; maxBatch?: number; maxInFlight?: number };

export function createReporter(
  transport: AgentTransport,
  job: { agentId: string; conversionId: string; attempt: number },
  hooks: { onStale: (message: string) => void; onError: (message: string) => void },
  options: ReporterOptions = {},
): Reporter {
  const closeRetryMs = options.closeRetryMs ?? CLOSE_RETRY_MS;
  const maxBatch = options.maxBatch ?? MAX_BATCH;
  const maxInFlight = options.maxInFlight ?? MAX_IN_FLIGHT;
  let seq = 0;
  /** Lines not sent yet, in seq order, and the length of their messages. */
  let pending: TLogLine[] = [];
  let pendingChars = 0;
  /** Batches out, in the order they were sent. */
  const out: TLogLine[][] = [];
  /** Lines of failed requests, put back in front of `pending` once nothing is out. */
  let failed: TLogLine[] = [];
  /** Failed requests so far (flush() stops at one). */
  let failures = 0;
  let progress: ProgressEvent | undefined;
  let progressOut: Promise<void> | undefined;
  let stale = false;
  let linger: NodeJS.Timeout | undefined;
  let atMs = -1;
  let at = "";
  // Resolved (and replaced) whenever a request answers.
  let answered = signal();

  const goneStale = (message: string) => {
    if (stale) return;
    stale = true;
    pending = [];
    pendingChars = 0;
    failed = [];
    progress = undefined;
    hooks.onStale(message);
  };

  const failedWith = (e: unknown) => {
    if (e instanceof AgentRequestError && e.kind === "stale") goneStale(e.message);
    else {
      failures++;
      hooks.onError(e instanceof Error ? e.message : String(e));
    }
  };

  /** How many pending lines the next request takes: up to maxBatch, and MAX_BATCH_CHARS of text. */
  const batchSize = () => {
    let chars = 0;
    for (let n = 0; n < pending.length && n < maxBatch; n++) {
      chars += pending[n]!.message.length;
      if (n > 0 && chars > MAX_BATCH_CHARS) return n;
    }
    return Math.min(pending.length, maxBatch);
  };

  /** Starts requests while a slot is free; `all`: also a batch that is not full. */
  const pump = (all: boolean) => {
    while (!stale && failed.length === 0 && out.length < maxInFlight && pending.length > 0) {
      const take = batchSize();
      if (!all && take === pending.length && take < maxBatch && pendingChars <= MAX_BATCH_CHARS) return;
      // Taken out before the request (lines logged meanwhile start a new array).
      const lines = take === pending.length ? pending : pending.slice(0, take);
      pending = lines === pending ? [] : pending.slice(take);
      for (const l of lines) pendingChars -= l.message.length;
      out.push(lines);
      transport.logs({ ...job, lines: toSeqColumns(lines) }).then(
        () => settle(lines, undefined),
        (e: unknown) => settle(lines, e ?? new Error("log request failed")),
      );
    }
  };

  const settle = (lines: TLogLine[], error: unknown) => {
    out.splice(out.indexOf(lines), 1);
    if (error !== undefined) {
      failedWith(error);
      if (!stale) failed.push(...lines);
    }
    if (failed.length > 0 && out.length === 0) {
      // Every request has answered: the failed lines go back in front, in seq order (a later
      // batch may have failed while an earlier one was stored, or the other way round).
      for (const l of failed) pendingChars += l.message.length;
      pending = failed.sort((a, b) => a.seq - b.seq).concat(pending);
      failed = [];
    } else if (error === undefined) pump(true);
    const done = answered;
    answered = signal();
    done.resolve();
  };

  /** Whether a line numbered below `below` is still pending or out. */
  const unsent = (below: number) => (pending[0]?.seq ?? Infinity) < below || failed.length > 0 || out.some((b) => b[0]!.seq < below);

  const sendProgress = async (): Promise<void> => {
    while (progressOut) await progressOut;
    if (!progress || stale) return;
    const event = progress;
    progress = undefined;
    progressOut = transport.progress({ ...job, progress: event }).then(
      () => undefined,
      (e: unknown) => {
        if (!progress) progress = event; // keep it for the next try unless a newer one came
        failedWith(e);
      },
    );
    await progressOut;
    progressOut = undefined;
  };

  const flush = async (): Promise<void> => {
    if (linger) {
      clearTimeout(linger);
      linger = undefined;
    }
    const below = seq;
    const failuresBefore = failures;
    for (;;) {
      // A failed request: once every request out has answered, its lines are pending again,
      // for the next flush (same seqs: idempotent).
      if (failures !== failuresBefore && out.length === 0) return;
      pump(true);
      if (stale || !unsent(below)) break;
      await answered.promise;
    }
    if (failures === failuresBefore) await sendProgress();
  };
  const timer = setInterval(() => void flush(), FLUSH_MS);
  timer.unref();

  return {
    log(level, message, stage) {
      if (stale) return; // the attempt is over: nothing more is sent
      // One ISO string per millisecond, not per line (a flood logs dozens a millisecond).
      const ms = Date.now();
      if (ms !== atMs) [atMs, at] = [ms, new Date(ms).toISOString()];
      pending.push({ seq: seq++, at, level, stage, message });
      pendingChars += message.length;
      if (pending.length >= maxBatch || pendingChars > MAX_BATCH_CHARS) pump(false);
      else if (!linger && out.length < maxInFlight) {
        linger = setTimeout(() => {
          linger = undefined;
          pump(true);
        }, LINGER_MS);
        linger.unref();
      }
    },
    progress(event) {
      progress = event;
    },
    flush,
    async close() {
      clearInterval(timer);
      // Lines kept back by a console or database outage are held and retried as long as the
      // result after them is (runtime.ts: about two minutes), so an attempt that ends during
      // an outage still arrives whole once the console answers again.
      // flush() first, always: it waits for the requests out, if any. With nothing pending
      // requests may still be under way (their lines were taken out of `pending` when they
      // started), and the result must not overtake them: the console refuses lines that come
      // after the result (the attempt is over), so they would be lost.
      const until = Date.now() + closeRetryMs;
      const left = () => pending.length + out.reduce((n, b) => n + b.length, 0) + failed.length;
      for (;;) {
        await flush();
        if (stale || (left() === 0 && !progress)) break;
        if (Date.now() > until) {
          hooks.onError(`gave up sending ${left()} log line(s) after ${Math.round(closeRetryMs / 1000)} s`);
          break;
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
      if (linger) clearTimeout(linger);
    },
  };
}
