// One place where conversion changes leave the agent service: status changes, log batches and
// progress, each published after its transaction committed. The console hooks Socket.IO in with
// setConversionPublisher (a globalThis holder: Next's route handlers and server.ts load this
// module in different module graphs and must reach the same publisher).
import type { ProgressEvent } from "../engine/context.ts";
import { fromLiveColumns, fromRanges, type LiveLogColumns, type NumberedLogLine, type Ranges } from "../log-columns.ts";

/**
 * A stored batch as columns (server/log-columns.ts): `line`, each line's number within the
 * conversion (1, 2, 3, ... across attempts, no holes), and `seq`, its number within the attempt.
 */
export type PublishedLogColumns = LiveLogColumns & { seq: Ranges };
export type PublishedLogLine = NumberedLogLine & { seq: number };

/** A published batch's lines, one object each (tests; the console passes the columns on). */
export function publishedLines(columns: PublishedLogColumns): PublishedLogLine[] {
  const seq = fromRanges(columns.seq);
  return fromLiveColumns(columns).map((l, i) => ({ ...l, seq: seq[i]! }));
}

export type ConversionUpdate =
  | { type: "status"; conversionId: string; status: string; attempt: number; agentId: string | null; errorCode?: string | null; error?: string | null }
  | { type: "logs"; conversionId: string; attempt: number; columns: PublishedLogColumns }
  | { type: "progress"; conversionId: string; attempt: number; progress: ProgressEvent }
  | { type: "agent"; agentId: string; name: string; event: "registered" | "silent" | "heartbeat" };

export type ConversionPublisher = (update: ConversionUpdate) => void;

const holder = globalThis as unknown as { __ferryConversionPublisher?: ConversionPublisher };

/** Sets (or with undefined, clears) the function every update is handed to. */
export function setConversionPublisher(publisher: ConversionPublisher | undefined): void {
  holder.__ferryConversionPublisher = publisher;
}

/** Hands an update to the publisher; a failing publisher never fails the agent's request. */
export function publishConversionUpdate(update: ConversionUpdate): void {
  const publisher = holder.__ferryConversionPublisher;
  if (!publisher) return;
  try {
    publisher(update);
  } catch {
    // Live views catch up from the database (lines are rows first); nothing is lost.
  }
}
