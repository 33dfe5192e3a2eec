"use server";
// Admins create and revoke agent tokens. Each action checks the caller's session and role
// itself; the new token's secret goes back to the form once and is never stored.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { retireAgent } from "@/server/agents/agents";
import { createAgentToken, revokeAgentToken, ZAgentTokenRef, ZNewAgentToken } from "@/server/agents/tokens";
import { db } from "@/server/db/client";
import { formAction, formFields, fieldErrorsOf, type ActionState } from "@/server/http/form-action";
import { actorFromHeaders, authorize } from "@/server/auth/actor";
import { isAppError } from "@/server/errors";
import { headers } from "next/headers";

export type CreateTokenState = ActionState & { secret?: string; tokenName?: string };

const who = (actor: { id: string; email: string; ip: string | null }) => ({ id: actor.id, email: actor.email, ip: actor.ip });

export async function createAgentTokenAction(_prev: CreateTokenState, formData: FormData): Promise<CreateTokenState> {
  try {
    const actor = authorize(await actorFromHeaders(await headers()), "agent:manage");
    const parsed = ZNewAgentToken.strict().safeParse(formFields(formData));
    if (!parsed.success) return { ok: false, message: "Check the highlighted fields.", fieldErrors: fieldErrorsOf(parsed.error) };
    const { token, secret } = await createAgentToken(db(), who(actor), parsed.data);
    revalidatePath("/agents");
    return { ok: true, message: `Created the token ${token.name}. Copy it now: it is not shown again.`, secret, tokenName: token.name };
  } catch (e) {
    if (isAppError(e)) return { ok: false, message: e.message, fieldErrors: e.fieldErrors };
    throw e;
  }
}

export const revokeAgentTokenAction = formAction({
  permission: "agent:manage",
  schema: ZAgentTokenRef.strict(),
  run: async (actor, input) => {
    const token = await revokeAgentToken(db(), who(actor), input.id);
    revalidatePath("/agents");
    return { ok: true, message: `Revoked ${token.name}: agents using it are refused from their next request.` };
  },
});

export const retireAgentAction = formAction({
  permission: "agent:manage",
  schema: z.object({ id: z.string().min(1, "Which agent?").max(200, "Unknown agent.") }).strict(),
  run: async (actor, input) => {
    const { name, interrupted } = await retireAgent(db(), who(actor), input.id);
    revalidatePath("/agents");
    return { ok: true, message: `Retired ${name}${interrupted ? `; ${interrupted} conversion(s) it was running are interrupted` : ""}.` };
  },
});
