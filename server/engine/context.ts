// What every pipeline stage receives: where to log, where to report progress, the signal that
// cancels it, and a scratch directory of its own. The agent's implementation writes log rows
// and progress events; tests use the in-memory one below.

export type LogLevel = "debug" | "info" | "warn" | "error";

export type ProgressEvent = {
  stage: string;
  /** Bytes (or steps) done so far in the whole stage, never decreasing. */
  done: number;
  total: number;
  unit: "bytes" | "steps";
  /** What is being worked on now, e.g. the disk being copied. */
  item?: string;
};

export type StageContext = {
  log(level: LogLevel, message: string, stage: string): void;
  progress(event: ProgressEvent): void;
  signal: AbortSignal;
  scratchDir: string;
};

export type LogEntry = { level: LogLevel; message: string; stage: string };

export type MemoryContext = StageContext & {
  lines: LogEntry[];
  events: ProgressEvent[];
  /** Aborts `signal` (as Cancel in the console would). */
  cancel(reason?: string): void;
};

/** A context that keeps everything in arrays: for tests and dry runs. */
export function createMemoryContext(options: { scratchDir: string; signal?: AbortSignal }): MemoryContext {
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const lines: LogEntry[] = [];
  const events: ProgressEvent[] = [];
  return {
    lines,
    events,
    signal,
    scratchDir: options.scratchDir,
    log: (level, message, stage) => void lines.push({ level, message, stage }),
    progress: (event) => void events.push(event),
    cancel: (reason = "cancelled") => controller.abort(new Error(reason)),
  };
}
