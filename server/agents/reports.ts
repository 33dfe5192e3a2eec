// What an agent reports while it runs an attempt: log batches (idempotent: a resent batch is
// not stored twice, by its (conversion, attempt, seq); each new line gets the conversion's next
// line number), progress, and the
// outputs it is about to create. Each is refused for an attempt that is no longer live.
import { sqlPool, type Db } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";
import { outputsOf, staleAttempt } from "./queue.ts";
import { fromSeqColumns } from "../log-columns.ts";
import type { TLogBatch, TLogLine, TOutputs, TProgress } from "./protocol.ts";
import { publishConversionUpdate, type PublishedLogLine } from "./publish.ts";
import { TX } from "./settings.ts";

type Live = { agentId: string; conversionId: string; attempt: number };

const liveWhere = (r: Live) => ({ id: r.conversionId, attempt: r.attempt, agentId: r.agentId, status: "running" });

// $1 conversion id, $2 attempt, $3 agent id, then one array per column: $4 seq, $5 at, $6 level,
// $7 stage, $8 message.
const APPEND_SQL = `
  WITH live AS (
    SELECT log_lines FROM conversions
    WHERE id = $1::text AND attempt = $2::int AND agent_id = $3::text AND status = 'running' FOR UPDATE
  ), top AS (
    SELECT coalesce(max(seq), -1) AS seq FROM conversion_logs WHERE conversion_id = $1::text AND attempt = $2::int
  ), fresh AS (
    SELECT u.seq, u.at, u.level, u.stage, u.message, (live.log_lines + row_number() OVER (ORDER BY u.seq))::int AS line
    FROM live, top, unnest($4::int[], $5::timestamptz[], $6::text[], $7::text[], $8::text[]) AS u(seq, at, level, stage, message)
    -- A seq above the attempt's highest stored one is new (the usual case: one probe of the
    -- index for the batch); only the others are looked up one by one.
    WHERE u.seq > top.seq OR NOT EXISTS (SELECT 1 FROM conversion_logs l WHERE l.conversion_id = $1::text AND l.attempt = $2::int AND l.seq = u.seq)
  ), stored AS (
    INSERT INTO conversion_logs (conversion_id, attempt, seq, line, at, level, stage, message)
    SELECT $1::text, $2::int, seq, line, at, level, stage, message FROM fresh
    RETURNING seq, line
  ), counted AS (
    UPDATE conversions SET log_lines = (SELECT max(line) FROM fresh) WHERE id = $1::text AND EXISTS (SELECT 1 FROM fresh)
  )
  SELECT (SELECT log_lines FROM live) AS base, s.seqs, s.lines
  FROM (SELECT array_agg(seq ORDER BY seq) AS seqs, array_agg(line ORDER BY seq) AS lines FROM stored) s`;

export async function appendLogs(client: Db, batch: TLogBatch): Promise<{ stored: number }> {
  // Repeats within the batch are dropped here, lines already stored (a resent batch) in SQL.
  const bySeq = new Map<number, TLogLine>();
  for (const l of fromSeqColumns(batch.lines)) if (!bySeq.has(l.seq)) bySeq.set(l.seq, l);
  const lines = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  const { conversionId: id, attempt, agentId } = batch;
  // One statement, so one round trip and no interactive transaction: it locks the conversion
  // row (FOR UPDATE: batches of one conversion are serialized, so line numbers are given in
  // commit order and a live view never sees line N + 1 committed before line N; a result or an
  // interruption cannot slip in between), numbers the lines not stored yet from the counter,
  // inserts them with one array per column (unnest, not 8 bind parameters per line) and moves
  // the counter. A resent batch racing its original fails on the (conversion, attempt, seq) key
  // and is sent again by the agent, which then finds its lines stored.
  // Sent through the client's plain `pg` pool, not $queryRaw: Prisma's raw-query path cost
  // about a third of the time of this statement (README, "Live logs and history").
  const { rows } = await sqlPool(client).query<{ base: number | null; seqs: number[] | null; lines: number[] | null }>(APPEND_SQL, [
    id,
    attempt,
    agentId,
    lines.map((l) => l.seq),
    lines.map((l) => l.at),
    lines.map((l) => l.level),
    lines.map((l) => l.stage),
    lines.map((l) => l.message),
  ]);
  const result = rows[0];
  if (result?.base === null || result?.base === undefined) throw staleAttempt(id, attempt);
  // The line numbers the statement gave, by seq (a resent batch's stored lines are absent).
  const numbered = new Map<number, number>();
  (result.seqs ?? []).forEach((seq, i) => numbered.set(seq, result.lines![i]!));
  const published: PublishedLogLine[] = [];
  for (const l of lines) {
    const line = numbered.get(l.seq);
    if (line !== undefined) published.push({ line, attempt, seq: l.seq, at: l.at, level: l.level, stage: l.stage, message: l.message });
  }
  if (published.length > 0) publishConversionUpdate({ type: "logs", conversionId: id, attempt, lines: published });
  return { stored: published.length };
}

export async function recordProgress(client: Db, input: TProgress): Promise<void> {
  const { count } = await client.conversion.updateMany({ where: liveWhere(input), data: { progress: input.progress as Prisma.InputJsonValue } });
  if (count === 0) throw staleAttempt(input.conversionId, input.attempt);
  publishConversionUpdate({ type: "progress", conversionId: input.conversionId, attempt: input.attempt, progress: input.progress });
}

/** Adds paths to what this attempt created outside its scratch dir (sent before creating them). */
export async function recordOutputs(client: Db, input: TOutputs): Promise<void> {
  await client.$transaction(async (tx) => {
    const row = await tx.conversion.findFirst({ where: liveWhere(input), select: { outputs: true } });
    if (!row) throw staleAttempt(input.conversionId, input.attempt);
    const before = outputsOf(row.outputs);
    const paths = [...new Set([...(before?.attempt === input.attempt ? before.paths : []), ...input.paths])];
    await tx.conversion.update({ where: { id: input.conversionId }, data: { outputs: { agentId: input.agentId, attempt: input.attempt, paths } } });
  }, TX);
}
