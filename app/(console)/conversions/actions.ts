"use server";
// Conversion actions: start (a dry run by default), cancel, start a planned dry run, retry,
// plan again. Each checks the caller's session and role itself, then makes one call into
// server/conversions; a refused state change comes back as a message and writes nothing.
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { actorFromHeaders, authorize, type Actor } from "@/server/auth/actor";
import type { TPermission } from "@/server/auth/roles";
import { createConversion } from "@/server/conversions/create-conversion";
import { replan, requestCancel, retry, startFromPlan } from "@/server/conversions/change-conversion";
import { requestFromForm } from "@/server/conversions/form-input";
import { db } from "@/server/db/client";
import { isAppError } from "@/server/errors";
import { checkFormFields } from "@/server/http/known-fields";
import { formFields, type ActionState } from "@/server/http/form-action";
import { logger } from "@/server/log";

const log = logger("action");

export type CreateConversionState = ActionState & { id?: string; number?: number };

async function act<S extends ActionState>(permission: TPermission, run: (actor: Actor) => Promise<S>): Promise<S | ActionState> {
  try {
    const actor = authorize(await actorFromHeaders(await headers()), permission);
    return await run(actor);
  } catch (e) {
    if (isAppError(e)) return { ok: false, message: e.code === "INVALID_INPUT" ? "Check the highlighted fields." : e.message, fieldErrors: e.fieldErrors };
    log.error("conversion action failed", { error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    throw e;
  }
}

const who = (a: Actor) => ({ id: a.id, email: a.email, ip: a.ip });

// The new-conversion form's fields (server/conversions/form-input.ts); anything else is refused.
// The domain XML's size is the XML guard's to refuse (with its message under source.xml).
const CONVERSION_FIELDS = [
  "source.method", "source.xml", "source.fileName", "source.uri", "source.guest", /^source\.disks\.\d+\.(from|to)$/,
  "output.method", "output.uri", "output.storage", "output.format", "output.allocation", "output.name",
  "profile", /^(network|bridge)(\.\d+)?$/, "dryRun",
];

/** Fields: see server/conversions/form-input.ts; the pressed button sends dryRun=true|false. */
export async function createConversionAction(_prev: ActionState, formData: FormData): Promise<CreateConversionState> {
  const fields = formFields(formData);
  return act("conversion:start", async (actor) => {
    checkFormFields(formData, CONVERSION_FIELDS, { longer: { "source.xml": Number.MAX_SAFE_INTEGER } });
    const row = await createConversion(db(), who(actor), requestFromForm(fields));
    revalidatePath("/conversions");
    return { ok: true, id: row.id, number: row.number, message: `${row.dryRun ? "Dry run" : "Conversion"} #${row.number} of ${row.guestName} is queued.` };
  });
}

type RowAction = "cancel" | "start" | "retry" | "replan";

const PERMISSION: Record<RowAction, TPermission> = { cancel: "conversion:cancel", start: "conversion:start", retry: "conversion:retry", replan: "conversion:start" };

/** Fields: id, action (cancel | start | retry | replan), replan=true to plan again when starting or retrying. */
export async function conversionRowAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const f = formFields(formData);
  const action = f.action as RowAction;
  if (!(action in PERMISSION)) return { ok: false, message: `Unknown action ${JSON.stringify(String(f.action).slice(0, 40))}.`, fieldErrors: { action: ["Choose cancel, start, retry or replan."] } };
  if (![undefined, "", "true", "false"].includes(f.replan)) return { ok: false, message: "Check the highlighted fields.", fieldErrors: { replan: ["replan is true or false."] } };
  return act(PERMISSION[action], async (actor) => {
    checkFormFields(formData, ["id", "action", "replan"]);
    const id = f.id ?? "";
    const opts = { replan: f.replan === "true" };
    const row =
      action === "cancel" ? await requestCancel(db(), who(actor), id)
      : action === "start" ? await startFromPlan(db(), who(actor), id, opts)
      : action === "retry" ? await retry(db(), who(actor), id, opts)
      : await replan(db(), who(actor), id);
    revalidatePath("/conversions");
    revalidatePath(`/conversions/${id}`);
    const message =
      action === "cancel" ? (row.status === "cancelled" ? `Conversion #${row.number} is cancelled.` : `Cancel requested: the agent is stopping conversion #${row.number}.`)
      : action === "start" ? `Conversion #${row.number} is queued to run${opts.replan ? ", planning again first" : " with the plan shown"}.`
      : action === "retry" ? `Conversion #${row.number} is queued again.`
      : `Conversion #${row.number} is queued as a dry run to plan again.`;
    return { ok: true, message };
  });
}
