// The StageContext an agent hands its runner: log lines are numbered (seq) and sent in batches,
// progress is sent at most twice a second (the newest event wins), both in the background so a
// stage never waits on the network. flush() drains everything before the result is sent.
//
// Batching: one request in flight at a time. A line waits at most LINGER_MS for company before
// it is sent; while a request is in flight, lines gather into the next one (up to MAX_BATCH). So
// a quiet agent's lines leave within milliseconds, and a busy one sends few large batches (one
// transaction and one room event per batch on the console) instead of many small ones.
import type { LogLevel, ProgressEvent } from "../engine/context.ts";
import { toSeqColumns } from "../log-columns.ts";
import type { TLogLine } from "./protocol.ts";
import { AgentRequestError, type AgentTransport } from "./transport.ts";

const FLUSH_MS = 500;
const LINGER_MS = 20;
const MAX_BATCH = 5000; // the protocol takes up to MAX_LOG_LINES
/** How long close() keeps retrying lines the console did not take (matches the result's retries). */
const CLOSE_RETRY_MS = 120_000;

export type Reporter = {
  log(level: LogLevel, message: string, stage: string): void;
  progress(event: ProgressEvent): void;
  /** Sends what is pending; resolves when sent (or given up on for a stale attempt). */
  flush(): Promise<void>;
  close(): Promise<void>;
};

export function createReporter(
  transport: AgentTransport,
  job: { agentId: string; conversionId: string; attempt: number },
  hooks: { onStale: (message: string) => void; onError: (message: string) => void },
  closeRetryMs = CLOSE_RETRY_MS,
): Reporter {
  let seq = 0;
  let pending: TLogLine[] = [];
  let progress: ProgressEvent | undefined;
  let stale = false;
  let chain: Promise<void> = Promise.resolve();
  // A send queued behind the running one: later flush() calls share it (it sends whatever is
  // pending when it starts), so a burst of lines never queues one promise per line.
  let queued: Promise<void> | undefined;
  let linger: NodeJS.Timeout | undefined;

  const send = async (): Promise<void> => {
    if (stale) {
      pending = [];
      progress = undefined;
      return;
    }
    try {
      while (pending.length > 0) {
        // Taken out before the request (lines logged meanwhile start a new array), put back in
        // front when it fails.
        const lines = pending.length <= MAX_BATCH ? pending : pending.slice(0, MAX_BATCH);
        pending = lines === pending ? [] : pending.slice(MAX_BATCH);
        await transport.logs({ ...job, lines: toSeqColumns(lines) }).catch((e: unknown) => {
          pending = lines.concat(pending);
          throw e;
        });
      }
      if (progress) {
        const event = progress;
        progress = undefined;
        await transport.progress({ ...job, progress: event }).catch((e: unknown) => {
          if (!progress) progress = event; // keep it for the next try unless a newer one came
          throw e;
        });
      }
    } catch (e) {
      if (e instanceof AgentRequestError && e.kind === "stale") {
        stale = true;
        pending = [];
        hooks.onStale(e.message);
      } else hooks.onError(e instanceof Error ? e.message : String(e));
      // transient: the lines stay pending for the next flush (same seq: idempotent)
    }
  };
  const flush = (): Promise<void> => {
    if (linger) {
      clearTimeout(linger);
      linger = undefined;
    }
    queued ??= chain = chain.then(() => {
      queued = undefined;
      return send();
    });
    return queued;
  };
  const timer = setInterval(() => void flush(), FLUSH_MS);
  timer.unref();

  return {
    log(level, message, stage) {
      pending.push({ seq: seq++, at: new Date().toISOString(), level, stage, message });
      if (pending.length >= MAX_BATCH) void flush();
      else if (!linger && !queued) {
        linger = setTimeout(() => void flush(), LINGER_MS);
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
      // flush() first, always: it runs after the send in flight, if any. With nothing pending
      // a send may still be under way (its lines were taken out of `pending` when it started),
      // and the result must not overtake it: the console refuses lines that come after the
      // result (the attempt is over), so they would be lost.
      const until = Date.now() + closeRetryMs;
      for (;;) {
        await flush();
        if (stale || (pending.length === 0 && !progress)) break;
        if (Date.now() > until) {
          hooks.onError(`gave up sending ${pending.length} log line(s) after ${Math.round(closeRetryMs / 1000)} s`);
          break;
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
      if (linger) clearTimeout(linger);
    },
  };
}
