// One conversion with its agent and the log of its latest attempt: the newest `tail` lines by
// default, or the lines after a seq (what a page already has) or before one (older lines).
import type { Db } from "../db/client.ts";
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
  const raw = await client.conversion.findUnique({ where: { id }, include: { agent: { select: { id: true, name: true, kind: true, hostname: true } } } });
  if (!raw) throw new AppError("NOT_FOUND", "That conversion does not exist.");
  const { agent, ...rest } = raw;
  const row = readConversion(rest);
  const attempt = window.attempt ?? row.attempt;
  const tail = Math.min(Math.max(window.tail ?? 500, 1), 5000);
  const seq = window.afterSeq !== undefined ? { gt: window.afterSeq } : window.beforeSeq !== undefined ? { lt: window.beforeSeq } : undefined;
  // Newest first to take the tail, then back into reading order; lines after a seq read forward.
  const forward = window.afterSeq !== undefined;
  const found = await client.conversionLog.findMany({
    where: { conversionId: id, attempt, ...(seq ? { seq } : {}) },
    orderBy: { seq: forward ? "asc" : "desc" },
    take: tail,
    select: { seq: true, at: true, level: true, stage: true, message: true },
  });
  const lines = (forward ? found : found.reverse()) as LogLine[];
  const first = lines[0];
  // Whether one earlier line exists, not how many: a count would read the whole log before SEQ.
  const hasEarlier = first ? (await client.conversionLog.findFirst({ where: { conversionId: id, attempt, seq: { lt: first.seq } }, select: { id: true } })) !== null : false;
  return { ...row, agent, log: { attempt, lines, hasEarlier } };
}
