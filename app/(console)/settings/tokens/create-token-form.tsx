"use client";
// New API token: the secret comes back once, with a copy button and how a script uses it.
import { useActionState } from "react";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { CopyButton } from "@/components/software/copy-button";
import { CardBody, CardFooter } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { createApiTokenAction, type CreateApiTokenState } from "./actions";

export function CreateApiTokenForm({ consoleUrl }: { consoleUrl: string }) {
  const [state, action] = useActionState<CreateApiTokenState, FormData>(createApiTokenAction, { ok: false });
  const command = state.secret ? `FERRY_TOKEN=${state.secret} ferry convert --server ${consoleUrl} ...` : "";
  return (
    <form action={action} aria-label="New API token">
      <CardBody className="space-y-4">
        <FormMessage state={state} />
        {state.secret ? (
          <div className="space-y-2 rounded-md border border-line bg-surface-subtle p-3" role="group" aria-label="New token secret">
            <div className="flex items-center justify-between gap-2">
              <span className="text-sm font-medium">Secret of {state.tokenName}</span>
              <CopyButton value={state.secret} label="Copy the token" />
            </div>
            <code className="block break-all font-mono text-xs" data-testid="api-token-secret">
              {state.secret}
            </code>
            <p className="text-xs text-fg-muted">In a script: send <code>Authorization: Bearer TOKEN</code> to /api/v1, or</p>
            <code className="block break-all font-mono text-xs">{command}</code>
          </div>
        ) : null}
        <Field id="api-token-name" label="Name" required error={state.fieldErrors?.name}>
          <Input name="name" autoComplete="off" placeholder="nightly migration script" />
        </Field>
        <Field id="api-token-days" label="Expires after (days)" required error={state.fieldErrors?.expiresInDays}>
          <Input name="expiresInDays" type="number" min={1} max={366} defaultValue={30} />
        </Field>
        <Checkbox id="api-token-read-only" name="readOnly" label="Read-only" description="The token may only read (GET); it cannot start, cancel or change anything." />
      </CardBody>
      <CardFooter>
        <SubmitButton pendingLabel="Creating…">Create token</SubmitButton>
      </CardFooter>
    </form>
  );
}
