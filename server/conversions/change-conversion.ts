// The operator's state changes: cancel, start a planned dry run, retry, plan again. Each locks
// the row, refuses a state it does not apply to (nothing written), and writes the change and
// its audit record in one transaction. Agents claim rows by conditional update, so a row
// locked here is never half-claimed.
import type { Db, Tx } from "../db/client.ts";
import { Prisma } from "../db/generated/client.ts";
import { recordAudit, type AuditActor } from "../audit/record-audit.ts";
import { AppError } from "../errors.ts";
import { headRevisions } from "./create-conversion.ts";
import { readConversion, type ConversionRow } from "./conversion-row.ts";
import { checkAction, type ConversionAction } from "./status.ts";

type Change = { data: Prisma.ConversionUpdateInput; audit: string };

async function lockRow(tx: Tx, id: string): Promise<ConversionRow> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM conversions WHERE id = ${id} FOR UPDATE`;
  if (locked.length === 0) throw new AppError("NOT_FOUND", "That conversion does not exist.");
  return readConversion(await tx.conversion.findUniqueOrThrow({ where: { id } }));
}

// The error stays in the record: a retry clears it from the row, and the dashboard's failure
// groups still count the failure it got past.
const snapshot = (r: ConversionRow) => ({ status: r.status, dryRun: r.dryRun, cancelRequested: r.cancelRequested, attempt: r.attempt, hasPlan: r.plan !== null, ...(r.error ? { error: r.error } : {}) });

/** Back in the queue: whatever the last attempt left (agent, times, progress, outcome) cleared. */
const requeue = (extra: Prisma.ConversionUpdateInput): Prisma.ConversionUpdateInput => ({
  status: "queued",
  agent: { disconnect: true },
  cancelRequested: false,
  startedAt: null,
  finishedAt: null,
  progress: Prisma.DbNull,
  result: Prisma.DbNull,
  error: null,
  errorCode: null,
  ...extra,
});

async function change(client: Db, actor: AuditActor, id: string, action: ConversionAction, decide: (row: ConversionRow, tx: Tx) => Promise<Change> | Change): Promise<ConversionRow> {
  return client.$transaction(async (tx) => {
    const row = await lockRow(tx, id);
    const check = checkAction(row, action);
    if (!check.ok) throw new AppError("CONFLICT", check.reason);
    const { data, audit } = await decide(row, tx);
    const updated = readConversion(await tx.conversion.update({ where: { id }, data }));
    await recordAudit(tx, actor, { action: audit, targetType: "conversion", targetId: id, before: snapshot(row), after: snapshot(updated) });
    return updated;
  });
}

/** A fresh plan: dropped, and the configuration revisions it will be made from updated. */
async function freshPlan(tx: Tx): Promise<Prisma.ConversionUpdateInput> {
  const { refs } = await headRevisions(tx);
  return { plan: Prisma.DbNull, configRevisions: refs as unknown as Prisma.InputJsonValue };
}

/**
 * Queued (or a planned dry run nobody started): cancelled at once. Running: cancel_requested
 * is set and the agent running it stops it and ends it as cancelled.
 */
export function requestCancel(client: Db, actor: AuditActor, id: string): Promise<ConversionRow> {
  return change(client, actor, id, "cancel", (row) =>
    row.status === "running"
      ? { data: { cancelRequested: true }, audit: "conversion.cancel-request" }
      : { data: { status: "cancelled", finishedAt: new Date() }, audit: "conversion.cancel" },
  );
}

/** A planned dry run becomes a real run: it reuses the plan it showed, or plans again (`replan`). */
export function startFromPlan(client: Db, actor: AuditActor, id: string, opts: { replan?: boolean } = {}): Promise<ConversionRow> {
  return change(client, actor, id, "start", async (_row, tx) => ({
    data: requeue({ dryRun: false, ...(opts.replan ? await freshPlan(tx) : {}) }),
    audit: "conversion.start",
  }));
}

/**
 * Failed, cancelled or interrupted: queued again as a new attempt. A run reuses its plan unless
 * `replan`; a dry run always plans again (showing an old plan again would say nothing new).
 */
export function retry(client: Db, actor: AuditActor, id: string, opts: { replan?: boolean } = {}): Promise<ConversionRow> {
  return change(client, actor, id, "retry", async (row, tx) => ({
    data: requeue(opts.replan || row.dryRun || row.plan === null ? await freshPlan(tx) : {}),
    audit: "conversion.retry",
  }));
}

/** Plan again without running: a planned, failed, cancelled or interrupted conversion becomes a queued dry run. */
export function replan(client: Db, actor: AuditActor, id: string): Promise<ConversionRow> {
  return change(client, actor, id, "replan", async (_row, tx) => ({
    data: requeue({ dryRun: true, ...(await freshPlan(tx)) }),
    audit: "conversion.replan",
  }));
}
