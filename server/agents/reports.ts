// What an agent reports while it runs an attempt: log batches (idempotent: a resent batch is
// not stored twice, thanks to the unique (conversion, attempt, seq) index), progress, and the
// outputs it is about to create. Each is refused for an attempt that is no longer live.
import type { Db } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";
import { outputsOf, staleAttempt } from "./queue.ts";
import type { TLogBatch, TOutputs, TProgress } from "./protocol.ts";
import { publishConversionUpdate } from "./publish.ts";
import { TX } from "./settings.ts";

type Live = { agentId: string; conversionId: string; attempt: number };

const liveWhere = (r: Live) => ({ id: r.conversionId, attempt: r.attempt, agentId: r.agentId, status: "running" });

export async function appendLogs(client: Db, batch: TLogBatch): Promise<{ stored: number }> {
  const { stored } = await client.$transaction(async (tx) => {
    // Locks the row for the batch: a result or an interruption cannot slip in between the
    // check and the insert.
    const live = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM conversions WHERE id = ${batch.conversionId} AND attempt = ${batch.attempt}
        AND agent_id = ${batch.agentId} AND status = 'running' FOR SHARE`;
    if (live.length === 0) throw staleAttempt(batch.conversionId, batch.attempt);
    const { count } = await tx.conversionLog.createMany({
      data: batch.lines.map((l) => ({ conversionId: batch.conversionId, attempt: batch.attempt, seq: l.seq, at: new Date(l.at), level: l.level, stage: l.stage, message: l.message })),
      skipDuplicates: true,
    });
    return { stored: count };
  }, TX);
  publishConversionUpdate({ type: "logs", conversionId: batch.conversionId, attempt: batch.attempt, lines: batch.lines.map((l) => ({ attempt: batch.attempt, ...l })) });
  return { stored };
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
