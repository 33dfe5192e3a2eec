// The conversion queue. Agents claim with SELECT ... FOR UPDATE SKIP LOCKED inside one
// transaction, so two agents never take the same row; every later status change is a
// conditional update on (id, attempt, agent, status) so a stale agent cannot overwrite a newer
// attempt. A person's changes (cancel, retry) are server/conversions/change-conversion.ts's:
// they lock the row, so a claim never sees one half-made.
import type { Db, Tx } from "../db/client.ts";
import { Prisma } from "../db/generated/client.ts";
import { AppError } from "../errors.ts";
import { storedCapabilities } from "./capabilities.ts";
import { demandOf, unmetNeeds } from "./matching.ts";
import type { ClaimedJob, TResult } from "./protocol.ts";
import { conversionConfig } from "../conversions/config-files.ts";
import { publishConversionUpdate } from "./publish.ts";

/** How many of the oldest queued rows one claim considers. */
const CLAIM_WINDOW = 50;

export type Outputs = { agentId: string; attempt: number; paths: string[] };

export function outputsOf(value: unknown): Outputs | undefined {
  if (!value || typeof value !== "object") return undefined;
  const v = value as Partial<Outputs>;
  return Array.isArray(v.paths) ? { agentId: String(v.agentId ?? ""), attempt: Number(v.attempt ?? 0), paths: v.paths.map(String) } : undefined;
}

type QueuedRow = { id: string; number: number; guest_name: string; dry_run: boolean; request: unknown; plan: unknown; config_revisions: unknown };

type Candidate = { capabilities: unknown; id: string | null; dry_run: boolean | null; request: unknown; plan: unknown };

/**
 * Claims the oldest queued conversion this agent can run, or null. Two statements, no
 * interactive transaction: every round trip to PostgreSQL costs milliseconds on a busy host,
 * and the claim used to take eight (BEGIN, five queries, the config, COMMIT).
 * 1. Read (no locks) the agent, if it is live and has room, with the oldest queued rows.
 * 2. Lock one of those the agent can run (FOR UPDATE SKIP LOCKED: rows another claim holds are
 *    skipped, and under READ COMMITTED a row taken meanwhile fails the re-checked status) and
 *    mark it running, in one UPDATE; the CTE keeps the outputs the previous attempt recorded.
 * Locking the whole window would make every concurrent claim skip all of it and come back
 * empty-handed, hence look first, then lock one runnable row.
 */
export async function claimConversion(client: Db, agent: { id: string }): Promise<ClaimedJob | null> {
  const candidates = await client.$queryRaw<Candidate[]>`
    WITH me AS (
      SELECT a.capabilities FROM agents a
      WHERE a.id = ${agent.id} AND a.retired_at IS NULL
        AND a.concurrency > (SELECT count(*) FROM conversions r WHERE r.agent_id = a.id AND r.status = 'running'))
    SELECT me.capabilities, c.id, c.dry_run, c.request, c.plan FROM me LEFT JOIN LATERAL (
      SELECT id, dry_run, request, plan FROM conversions
      WHERE status = 'queued' ORDER BY created_at, number LIMIT ${CLAIM_WINDOW}) c ON true`;
  const first = candidates[0];
  if (!first) return null; // retired, unknown, or running as many as it may
  const caps = storedCapabilities(first.capabilities);
  const runnable = candidates
    .filter((r): r is Candidate & { id: string } => r.id !== null && unmetNeeds(caps, demandOf({ request: r.request, plan: r.plan, dryRun: r.dry_run === true })).length === 0)
    .map((r) => r.id);
  if (runnable.length === 0) return null;
  const [row] = await client.$queryRaw<(QueuedRow & { attempt: number; previous_outputs: unknown })[]>`
    WITH pick AS (
      SELECT id, outputs FROM conversions
      WHERE id = ANY(${runnable}::text[]) AND status = 'queued'
      ORDER BY created_at, number LIMIT 1 FOR UPDATE SKIP LOCKED)
    UPDATE conversions c SET status = 'running', agent_id = ${agent.id}, attempt = c.attempt + 1,
      started_at = now(), finished_at = NULL, progress = NULL, outputs = NULL, error = NULL,
      error_code = NULL, cancel_requested = false, updated_at = now()
    FROM pick WHERE c.id = pick.id
    RETURNING c.id, c.number, c.guest_name, c.dry_run, c.request, c.plan, c.attempt, c.config_revisions, pick.outputs AS previous_outputs`;
  if (!row) return null;
  const job: ClaimedJob = {
    id: row.id,
    number: row.number,
    attempt: row.attempt,
    guestName: row.guest_name,
    dryRun: row.dry_run,
    request: row.request,
    plan: row.plan ?? null,
    cleanup: outputsOf(row.previous_outputs)?.paths ?? [],
  };
  publishConversionUpdate({ type: "status", conversionId: job.id, status: "running", attempt: job.attempt, agentId: agent.id });
  try {
    // Revisions are never changed once written: reading them after the claim committed is safe.
    job.config = await conversionConfig(client, row.config_revisions);
  } catch (e) {
    job.configError = e instanceof Error ? e.message : String(e);
  }
  return job;
}

/** The agent's last word on an attempt. Refused (CONFLICT) for an attempt that is no longer live. */
export async function finishConversion(client: Db, input: TResult): Promise<void> {
  const json = (v: unknown) => (v === undefined ? undefined : v === null ? Prisma.DbNull : (JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue));
  const { count } = await client.conversion.updateMany({
    where: { id: input.conversionId, attempt: input.attempt, agentId: input.agentId, status: "running" },
    data: {
      status: input.status,
      finishedAt: new Date(),
      ...(input.plan !== undefined ? { plan: json(input.plan) } : {}),
      ...(input.result !== undefined ? { result: json(input.result) } : {}),
      errorCode: input.errorCode ?? null,
      error: input.error ?? null,
      // The runner removes what it created when it fails or is cancelled; an interrupted run
      // (the agent stopping) keeps the record so the next attempt removes the leftovers.
      ...(input.status === "interrupted" ? {} : { outputs: Prisma.DbNull }),
    },
  });
  if (count === 0) throw staleAttempt(input.conversionId, input.attempt);
  publishConversionUpdate({ type: "status", conversionId: input.conversionId, status: input.status, attempt: input.attempt, agentId: input.agentId, errorCode: input.errorCode ?? null, error: input.error ?? null });
}

export function staleAttempt(conversionId: string, attempt: number): AppError {
  return new AppError("CONFLICT", `Attempt ${attempt} of conversion ${conversionId} is not running on this agent any more (interrupted, cancelled or retried): its reports are refused.`);
}

export type Interrupted = { id: string; attempt: number; errorCode: string; error: string };

/** Marks running conversions interrupted (their outputs stay recorded for the next attempt). */
export async function interruptRunning(tx: Tx, where: { agentId: string }, error: string): Promise<Interrupted[]> {
  const rows = await tx.conversion.findMany({ where: { agentId: where.agentId, status: "running" }, select: { id: true, attempt: true } });
  const out: Interrupted[] = [];
  for (const r of rows) {
    const { count } = await tx.conversion.updateMany({
      where: { id: r.id, attempt: r.attempt, status: "running" },
      data: { status: "interrupted", errorCode: "AGENT_LOST", error, finishedAt: new Date() },
    });
    if (count === 1) out.push({ id: r.id, attempt: r.attempt, errorCode: "AGENT_LOST", error });
  }
  return out;
}
