"use server";
// First run: create the first admin (only while no user exists) and sign them in.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { auth } from "@/server/auth/auth";
import { db } from "@/server/db/client";
import { isAppError } from "@/server/errors";
import { CLIENT_IP_HEADER } from "@/server/http/client-ip";
import { fieldErrorsOf, formFields, type ActionState } from "@/server/http/form-action";
import { createFirstAdmin } from "@/server/users/first-admin";
import { ZFirstAdmin } from "@/server/users/schemas";

const ZSetupForm = ZFirstAdmin.extend({ confirm: ZFirstAdmin.shape.password }).strict().refine((v) => v.password === v.confirm, {
  path: ["confirm"],
  message: "The two passwords differ.",
});

export async function setupAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const parsed = ZSetupForm.safeParse(formFields(formData));
  if (!parsed.success) return { ok: false, message: "Check the highlighted fields.", fieldErrors: fieldErrorsOf(parsed.error) };
  const h = await headers();
  try {
    await createFirstAdmin(db(), { name: parsed.data.name, email: parsed.data.email, password: parsed.data.password }, { via: "setup-page", ip: h.get(CLIENT_IP_HEADER) });
  } catch (e) {
    if (isAppError(e)) return { ok: false, message: e.message };
    throw e;
  }
  await auth().api.signInEmail({ body: { email: parsed.data.email, password: parsed.data.password }, headers: h });
  redirect("/conversions");
}
