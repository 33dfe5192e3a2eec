// What an agent reports while it runs an attempt: log batches (idempotent: a resent batch is
// not stored twice, by its (conversion, attempt, seq); each new line gets the conversion's next
// line number), progress, and the
// outputs it is about to create. Each is refused for an attempt that is no longer live.
import type { Db } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";
import { outputsOf, staleAttempt } from "./queue.ts";
import type { TLogBatch, TOutputs, TProgress } from "./protocol.ts";
import { publishConversionUpdate, type PublishedLogLine } from "./publish.ts";
import { TX } from "./settings.ts";

type Live = { agentId: string; conversionId: string; attempt: number };

const liveWhere = (r: Live) => ({ id: r.conversionId, attempt: r.attempt, agentId: r.agentId, status: "running" });

export async function appendLogs(client: Db, batch: TLogBatch): Promise<{ stored: number }> {
  const published = await client.$transaction(async (tx) => {
    // Locks the row for the batch (FOR UPDATE, not FOR SHARE: batches of one conversion are
    // serialized, so line numbers are given in commit order and a live view never sees line
    // N + 1 committed before line N). A result or an interruption cannot slip in between.
    const live = await tx.$queryRaw<{ log_lines: number }[]>`
      SELECT log_lines FROM conversions WHERE id = ${batch.conversionId} AND attempt = ${batch.attempt}
        AND agent_id = ${batch.agentId} AND status = 'running' FOR UPDATE`;
    if (live.length === 0) throw staleAttempt(batch.conversionId, batch.attempt);
    // A resent batch: drop the lines already stored (race-free under the lock), and repeats.
    const seqs = batch.lines.map((l) => l.seq);
    const have = await tx.$queryRaw<{ seq: number }[]>`
      SELECT seq FROM conversion_logs WHERE conversion_id = ${batch.conversionId} AND attempt = ${batch.attempt} AND seq = ANY(${seqs}::int[])`;
    const seen = new Set(have.map((r) => r.seq));
    const fresh = batch.lines.filter((l) => !seen.has(l.seq) && (seen.add(l.seq), true)).sort((a, b) => a.seq - b.seq);
    if (fresh.length === 0) return [];
    let line = live[0]!.log_lines;
    const lines: PublishedLogLine[] = fresh.map((l) => ({ line: ++line, attempt: batch.attempt, seq: l.seq, at: l.at, level: l.level, stage: l.stage, message: l.message }));
    // One statement with one array per column (unnest), not 8 bind parameters per line.
    await tx.$executeRaw`
      INSERT INTO conversion_logs (conversion_id, attempt, seq, line, at, level, stage, message)
      SELECT ${batch.conversionId}, ${batch.attempt}, * FROM unnest(
        ${lines.map((l) => l.seq)}::int[], ${lines.map((l) => l.line)}::int[], ${lines.map((l) => l.at)}::timestamptz[],
        ${lines.map((l) => l.level)}::text[], ${lines.map((l) => l.stage)}::text[], ${lines.map((l) => l.message)}::text[])`;
    await tx.$executeRaw`UPDATE conversions SET log_lines = ${line} WHERE id = ${batch.conversionId}`;
    return lines;
  }, TX);
  if (published.length > 0) publishConversionUpdate({ type: "logs", conversionId: batch.conversionId, attempt: batch.attempt, lines: published });
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
