// One conversion with its agent and the log of its latest attempt: the newest `tail` lines by
// default, or the lines after a seq (what a page already has) or before one (older lines).
import type { Db } from "../db/client.ts";
import { Prisma } from "../db/generated/client.ts";
import { AppError } from "../errors.ts";
import { readConversion, type ConversionRow } from "./conversion-row.ts";

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogLine = { seq: number; at: Date; level: LogLevel; stage: string; message: string };

export type ConversionDetail = ConversionRow & {
  agent: { id: string; name: string; kind: string; hostname: string } | null;
  log: { attempt: number; lines: LogLine[]; hasEarlier: boolean };
};

export type LogWindow = { attempt?: number; afterSeq?: number; beforeSeq?: number; tail?: number };

export async function getConversion(client: Db, id: string, window: LogWindow = {}): Promise<ConversionDetail> {
  const tail = Math.min(Math.max(window.tail ?? 500, 1), 5000);
  // Newest first to take the tail, then back into reading order; lines after a seq read forward.
  const forward = window.afterSeq !== undefined;
  const range = forward ? Prisma.sql`AND seq > ${window.afterSeq}` : window.beforeSeq !== undefined ? Prisma.sql`AND seq < ${window.beforeSeq}` : Prisma.empty;
  // The row, the lines and (reading forward) whether earlier lines exist, all at once: the
  // attempt defaults to the row's, read in the same statement as the lines. A polling client
  // (`ferry convert --server`, log?after=SEQ) then waits for one round trip, not three.
  const attemptSql = Prisma.sql`COALESCE(${window.attempt ?? null}::int, (SELECT attempt FROM conversions WHERE id = ${id}))`;
  const [raw, found, before] = await Promise.all([
    client.conversion.findUnique({ where: { id }, include: { agent: { select: { id: true, name: true, kind: true, hostname: true } } } }),
    client.$queryRaw<LogLine[]>`
      SELECT seq, at, level, stage, message FROM conversion_logs
      WHERE conversion_id = ${id} AND attempt = ${attemptSql} ${range}
      ORDER BY seq ${forward ? Prisma.sql`ASC` : Prisma.sql`DESC`} LIMIT ${tail}`,
    forward
      ? client.$queryRaw<{ one: number }[]>`SELECT 1 AS one FROM conversion_logs WHERE conversion_id = ${id} AND attempt = ${attemptSql} AND seq <= ${window.afterSeq} LIMIT 1`
      : undefined,
  ]);
  if (!raw) throw new AppError("NOT_FOUND", "That conversion does not exist.");
  const { agent, ...rest } = raw;
  const row = readConversion(rest);
  const attempt = window.attempt ?? row.attempt;
  const lines = forward ? found : found.reverse();
  const first = lines[0];
  // Whether one earlier line exists, not how many: a count would read the whole log before SEQ.
  // Reading forward, the lines before the first one returned are those at or below SEQ.
  const hasEarlier = !first
    ? false
    : before
      ? before.length > 0
      : (await client.$queryRaw<{ one: number }[]>`SELECT 1 AS one FROM conversion_logs WHERE conversion_id = ${id} AND attempt = ${attempt} AND seq < ${first.seq} LIMIT 1`).length > 0;
  return { ...row, agent, log: { attempt, lines, hasEarlier } };
}
