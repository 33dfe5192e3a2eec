// The StageContext an agent hands its runner: log lines are numbered (seq) and sent in batches,
// progress is sent at most twice a second (the newest event wins), both in the background so a
// stage never waits on the network. flush() drains everything before the result is sent.
import type { LogLevel, ProgressEvent } from "../engine/context.ts";
import type { TLogLine } from "./protocol.ts";
import { AgentRequestError, type AgentTransport } from "./transport.ts";

const FLUSH_MS = 500;
const MAX_BATCH = 1000;
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

  const send = async (): Promise<void> => {
    if (stale) {
      pending = [];
      progress = undefined;
      return;
    }
    try {
      while (pending.length > 0) {
        const lines = pending.slice(0, MAX_BATCH);
        await transport.logs({ ...job, lines });
        pending = pending.slice(lines.length);
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
  const flush = () => (chain = chain.then(send));
  const timer = setInterval(() => void flush(), FLUSH_MS);
  timer.unref();

  return {
    log(level, message, stage) {
      pending.push({ seq: seq++, at: new Date().toISOString(), level, stage, message });
      if (pending.length >= MAX_BATCH) void flush();
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
      const until = Date.now() + closeRetryMs;
      while ((pending.length > 0 || progress) && !stale) {
        await flush();
        if (pending.length === 0 && !progress) break;
        if (Date.now() > until) {
          hooks.onError(`gave up sending ${pending.length} log line(s) after ${Math.round(closeRetryMs / 1000)} s`);
          break;
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    },
  };
}
