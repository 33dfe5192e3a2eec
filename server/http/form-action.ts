// The middleware chain of every form server action: who is calling -> may they -> is the input
// valid (per field) -> run -> a result the form can show. Expected errors become messages;
// anything else is logged and reported as a failure without details.
import { headers } from "next/headers";
import type { z } from "zod";
import { actorFromHeaders, authorize, type Actor } from "../auth/actor.ts";
import type { TPermission } from "../auth/roles.ts";
import { isAppError } from "../errors.ts";
import { logger } from "../log.ts";

const log = logger("action");

export type ActionState = { ok: boolean; message?: string; fieldErrors?: Record<string, string[]> };

export const INITIAL_ACTION_STATE: ActionState = { ok: false };

export function formFields(formData: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (key.startsWith("$ACTION")) continue; // Next's own progressive-enhancement fields
    if (typeof value === "string") out[key] = value;
  }
  return out;
}

export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    // A strict schema's unknown fields are reported each under its own name.
    if (issue.code === "unrecognized_keys") {
      for (const k of issue.keys) (out[[...issue.path, k].join(".")] ??= []).push(`Unknown field ${JSON.stringify(k.length > 80 ? `${k.slice(0, 80)}…` : k)}: this form does not take it.`);
      continue;
    }
    const key = issue.path.join(".") || "_form";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

export function formAction<S extends z.ZodType>(opts: {
  permission: TPermission;
  schema: S;
  run: (actor: Actor, input: z.infer<S>) => Promise<ActionState>;
}): (prev: ActionState, formData: FormData) => Promise<ActionState> {
  return async (_prev, formData) => {
    try {
      const actor = authorize(await actorFromHeaders(await headers()), opts.permission);
      // A file where the form sends text is refused by name (formFields would drop it silently).
      const files = [...formData.entries()].filter(([k, v]) => typeof v !== "string" && !k.startsWith("$ACTION")).map(([k]) => k);
      if (files.length) return { ok: false, message: "Check the highlighted fields.", fieldErrors: Object.fromEntries(files.map((k) => [k, ["Expected text here, not a file."]])) };
      const parsed = opts.schema.safeParse(formFields(formData));
      if (!parsed.success) return { ok: false, message: "Check the highlighted fields.", fieldErrors: fieldErrorsOf(parsed.error) };
      return await opts.run(actor, parsed.data);
    } catch (e) {
      if (isAppError(e)) return { ok: false, message: e.message, fieldErrors: e.fieldErrors };
      log.error("server action failed", { error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      throw e;
    }
  };
}
