"use server";
// Each user creates and revokes their own API tokens. Each action checks the caller's session
// itself; the new token's secret goes back to the form once and is never stored.
import { headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { actorFromHeaders, authorize } from "@/server/auth/actor";
import { createApiToken, revokeApiToken } from "@/server/auth/api-tokens";
import { db } from "@/server/db/client";
import { isAppError } from "@/server/errors";
import { formAction, formFields, type ActionState } from "@/server/http/form-action";
import { checkFormFields } from "@/server/http/known-fields";

export type CreateApiTokenState = ActionState & { secret?: string; tokenName?: string };

export async function createApiTokenAction(_prev: CreateApiTokenState, formData: FormData): Promise<CreateApiTokenState> {
  try {
    const actor = authorize(await actorFromHeaders(await headers()), "token:manage");
    checkFormFields(formData, ["name", "expiresInDays", "readOnly"]);
    const { token, secret } = await createApiToken(db(), { id: actor.id, email: actor.email, ip: actor.ip }, formFields(formData) as { name: string });
    revalidatePath("/settings/tokens");
    return { ok: true, message: `Created the token ${token.name}. Copy it now: it is not shown again.`, secret, tokenName: token.name };
  } catch (e) {
    if (isAppError(e)) return { ok: false, message: e.fieldErrors ? "Check the highlighted fields." : e.message, fieldErrors: e.fieldErrors };
    throw e;
  }
}

export const revokeApiTokenAction = formAction({
  permission: "token:manage",
  schema: z.object({ id: z.string().min(1, "Which token?").max(200, "Unknown token.") }).strict(),
  run: async (actor, input) => {
    const token = await revokeApiToken(db(), { id: actor.id, email: actor.email, ip: actor.ip }, input.id);
    revalidatePath("/settings/tokens");
    return { ok: true, message: `Revoked ${token.name}: scripts using it are refused from their next request.` };
  },
});
