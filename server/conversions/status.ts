// Conversion states and which operator actions each allows: one table used by the store (to
// refuse) and by the pages (to show only the buttons that would work).
export const CONVERSION_STATUSES = ["queued", "running", "planned", "succeeded", "failed", "cancelled", "interrupted"] as const;
export type ConversionStatus = (typeof CONVERSION_STATUSES)[number];

/** Waiting for or held by an agent: the page keeps refreshing while a conversion is in one. */
export const ACTIVE_STATUSES: readonly ConversionStatus[] = ["queued", "running"];
/** Ended badly or was stopped: retry puts it back in the queue. */
export const RETRYABLE_STATUSES: readonly ConversionStatus[] = ["failed", "cancelled", "interrupted"];

export function isConversionStatus(value: unknown): value is ConversionStatus {
  return typeof value === "string" && (CONVERSION_STATUSES as readonly string[]).includes(value);
}

export type ConversionAction = "start" | "cancel" | "retry" | "replan";

export type ActionCheck = { ok: true } | { ok: false; reason: string };

type Row = { number: number; status: string; dryRun: boolean; cancelRequested: boolean };

const PHRASE: Record<string, string> = { succeeded: "has succeeded", failed: "has failed", cancelled: "was cancelled", interrupted: "was interrupted" };
const ended = (row: Row) => `Conversion #${row.number} ${PHRASE[row.status] ?? `is ${row.status}`}`;

/** Whether `action` is valid for the row now, and if not, the message the operator sees. */
export function checkAction(row: Row, action: ConversionAction): ActionCheck {
  const s = row.status;
  switch (action) {
    case "start":
      if (s === "planned") return { ok: true };
      return { ok: false, reason: `${ended(row)}: only a planned dry run can be started from its plan.` };
    case "cancel":
      if (s === "queued" || s === "planned") return { ok: true };
      if (s === "running") return row.cancelRequested ? { ok: false, reason: `Cancel of conversion #${row.number} was already requested; its agent is stopping it.` } : { ok: true };
      return { ok: false, reason: `${ended(row)}: there is nothing to cancel.` };
    case "retry":
      if ((RETRYABLE_STATUSES as readonly string[]).includes(s)) return { ok: true };
      return { ok: false, reason: `${ended(row)}: only a failed, cancelled or interrupted conversion can be retried.` };
    case "replan":
      if (s === "planned" || (RETRYABLE_STATUSES as readonly string[]).includes(s)) return { ok: true };
      return { ok: false, reason: `${ended(row)}: it can be planned again once it has stopped.` };
  }
}

export function allowedActions(row: Row): ConversionAction[] {
  return (["start", "cancel", "retry", "replan"] as const).filter((a) => checkAction(row, a).ok);
}
