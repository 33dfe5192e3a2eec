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
import { TX } from "./settings.ts";

/** How many of the oldest queued rows one claim considers. */
const CLAIM_WINDOW = 50;

export type Outputs = { agentId: string; attempt: number; paths: string[] };

export function outputsOf(value: unknown): Outputs | undefined {
  if (!value || typeof value !== "object") return undefined;
  const v = value as Partial<Outputs>;
  return Array.isArray(v.paths) ? { agentId: String(v.agentId ?? ""), attempt: Number(v.attempt ?? 0), paths: v.paths.map(String) } : undefined;
}

type QueuedRow = { id: string; number: number; guest_name: string; dry_run: boolean; request: unknown; plan: unknown; outputs: unknown; config_revisions: unknown };

/** Claims the oldest queued conversion this agent can run, or null. */
export async function claimConversion(client: Db, agent: { id: string }): Promise<ClaimedJob | null> {
  const claimed = await client.$transaction(async (tx) => {
    const me = await tx.agent.findUnique({ where: { id: agent.id } });
    if (!me || me.retiredAt) return null;
    const running = await tx.conversion.count({ where: { agentId: me.id, status: "running" } });
    if (running >= me.concurrency) return null;
    // Look first (no locks), then lock one runnable row: locking the whole window would make
    // every concurrent claim skip all of it and come back empty-handed.
    const candidates = await tx.$queryRaw<Pick<QueuedRow, "id" | "dry_run" | "request" | "plan">[]>`
      SELECT id, dry_run, request, plan FROM conversions
      WHERE status = 'queued' ORDER BY created_at, number LIMIT ${CLAIM_WINDOW}`;
    const caps = storedCapabilities(me.capabilities);
    const runnable = candidates.filter((r) => unmetNeeds(caps, demandOf({ request: r.request, plan: r.plan, dryRun: r.dry_run })).length === 0).map((r) => r.id);
    if (runnable.length === 0) return null;
    // Under READ COMMITTED a row another claim took meanwhile fails the re-checked status.
    const [row] = await tx.$queryRaw<QueuedRow[]>`
      SELECT id, number, guest_name, dry_run, request, plan, outputs, config_revisions FROM conversions
      WHERE id = ANY(${runnable}::text[]) AND status = 'queued'
      ORDER BY created_at, number LIMIT 1 FOR UPDATE SKIP LOCKED`;
    if (!row) return null;
    const updated = await tx.conversion.update({
      where: { id: row.id },
      data: {
        status: "running",
        agentId: me.id,
        attempt: { increment: 1 },
        startedAt: new Date(),
        finishedAt: null,
        progress: Prisma.DbNull,
        outputs: Prisma.DbNull,
        error: null,
        errorCode: null,
        cancelRequested: false,
      },
    });
    const job: ClaimedJob = {
      id: row.id,
      number: row.number,
      attempt: updated.attempt,
      guestName: row.guest_name,
      dryRun: row.dry_run,
      request: row.request,
      plan: row.plan ?? null,
      cleanup: outputsOf(row.outputs)?.paths ?? [],
    };
    return { job, configRevisions: row.config_revisions };
  }, TX);
  if (!claimed) return null;
  const { job } = claimed;
  publishConversionUpdate({ type: "status", conversionId: job.id, status: "running", attempt: job.attempt, agentId: agent.id });
  // Read after the commit, so the claim holds its row lock no longer than it must: the revisions
  // named are never rewritten, and a conversion without them takes the stack as it is at claim.
  try {
    job.config = await conversionConfig(client, claimed.configRevisions);
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
