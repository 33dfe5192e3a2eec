"use client";
// New token (agent or API): a name and the caller's own fields; the secret comes back once and
// is shown in the TokenSecretPanel with how to use it.
import { useActionState, type ReactNode } from "react";
import { FormMessage, type FormResult } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { CardBody, CardFooter } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { TokenSecretPanel } from "./token-secret-panel";

export type CreateTokenResult = FormResult & { secret?: string; tokenName?: string };

export type CreateTokenFormProps<S extends CreateTokenResult> = {
  action: (prev: Awaited<S>, formData: FormData) => Promise<S>;
  /** The form's accessible name: "New agent token". */
  label: string;
  nameId: string;
  namePlaceholder: string;
  secretTestId: string;
  /** How the secret is used, under it in the panel. */
  usage: (secret: string) => ReactNode;
  /** Fields after the name (they read their errors from the state). */
  fields?: (state: Awaited<S>) => ReactNode;
};

export function CreateTokenForm<S extends CreateTokenResult>({ action: create, label, nameId, namePlaceholder, secretTestId, usage, fields }: CreateTokenFormProps<S>) {
  const [state, action] = useActionState<S, FormData>(create, { ok: false } as Awaited<S>);
  return (
    <form action={action} aria-label={label}>
      <CardBody className="space-y-4">
        <FormMessage state={state} />
        {state.secret ? (
          <TokenSecretPanel tokenName={state.tokenName} secret={state.secret} testId={secretTestId}>
            {usage(state.secret)}
          </TokenSecretPanel>
        ) : null}
        <Field id={nameId} label="Name" required error={state.fieldErrors?.name}>
          <Input name="name" autoComplete="off" placeholder={namePlaceholder} />
        </Field>
        {fields?.(state)}
      </CardBody>
      <CardFooter>
        <SubmitButton pendingLabel="Creating…">Create token</SubmitButton>
      </CardFooter>
    </form>
  );
}
