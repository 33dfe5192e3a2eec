// Reading a conversion's stored log by line number (the live cursor): what the page renders,
// what a subscription replays and what the download streams. Lines are rows first; the live
// stream is only a view of them.
import type { Db } from "../db/client.ts";
import type { LogLevel } from "../engine/context.ts";

/** One line as the browser gets it: `line` is its number in the conversion (1, 2, 3, ...). */
export type LiveLogLine = { line: number; attempt: number; at: string; level: LogLevel; stage: string; message: string };

const SELECT = { line: true, attempt: true, at: true, level: true, stage: true, message: true } as const;

type Row = { line: number; attempt: number; at: Date; level: string; stage: string; message: string };
const toLive = (r: Row): LiveLogLine => ({ line: r.line, attempt: r.attempt, at: r.at.toISOString(), level: r.level as LogLevel, stage: r.stage, message: r.message });

/** Lines numbered above `after`, oldest first, at most `limit`. */
export async function readLinesAfter(client: Db, conversionId: string, after: number, limit: number): Promise<LiveLogLine[]> {
  const rows = await client.conversionLog.findMany({ where: { conversionId, line: { gt: after } }, orderBy: { line: "asc" }, take: limit, select: SELECT });
  return rows.map(toLive);
}

/** The newest `limit` lines numbered below `before`, oldest first (a page scrolling back). */
export async function readLinesBefore(client: Db, conversionId: string, before: number, limit: number): Promise<LiveLogLine[]> {
  const rows = await client.conversionLog.findMany({ where: { conversionId, line: { lt: before } }, orderBy: { line: "desc" }, take: limit, select: SELECT });
  return rows.reverse().map(toLive);
}

/** The newest `tail` lines, oldest first, and how many lines the conversion has in all. */
export async function readLogTail(client: Db, conversionId: string, tail: number): Promise<{ lines: LiveLogLine[]; total: number }> {
  const rows = await client.conversionLog.findMany({ where: { conversionId }, orderBy: { line: "desc" }, take: tail, select: SELECT });
  const total = rows[0]?.line ?? 0;
  return { lines: rows.reverse().map(toLive), total };
}

/** Every line in order, a page at a time (keyset on line): for the download. */
export async function* streamLog(client: Db, conversionId: string, pageSize = 5000): AsyncGenerator<LiveLogLine[]> {
  let after = 0;
  for (;;) {
    const page = await readLinesAfter(client, conversionId, after, pageSize);
    if (page.length === 0) return;
    yield page;
    after = page[page.length - 1]!.line;
    if (page.length < pageSize) return;
  }
}

/** One line of the text download: `2026-12-01T21:15:00.123Z INFO  [copy] message` (attempt when > 1). */
export function formatLogLine(l: LiveLogLine): string {
  return `${l.at} ${l.level.toUpperCase().padEnd(5)} [${l.stage}]${l.attempt > 1 ? ` (attempt ${l.attempt})` : ""} ${l.message}`;
}
