"use client";
import { useActionState } from "react";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { setupAction } from "./actions";

export function SetupForm() {
  const [state, action] = useActionState(setupAction, { ok: false });
  return (
    <form action={action} className="space-y-4">
      <FormMessage state={state} />
      <Field id="name" label="Name" required error={state.fieldErrors?.name}>
        <Input name="name" autoComplete="name" autoFocus />
      </Field>
      <Field id="email" label="Email" required error={state.fieldErrors?.email}>
        <Input name="email" type="email" autoComplete="username" />
      </Field>
      <Field id="password" label="Password" required hint="At least 8 characters." error={state.fieldErrors?.password}>
        <Input name="password" type="password" autoComplete="new-password" />
      </Field>
      <Field id="confirm" label="Confirm password" required error={state.fieldErrors?.confirm}>
        <Input name="confirm" type="password" autoComplete="new-password" />
      </Field>
      <SubmitButton className="w-full" pendingLabel="Creating…">Create admin and sign in</SubmitButton>
    </form>
  );
}
