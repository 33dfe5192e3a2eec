"use client";
// New agent token: the secret comes back once, with a copy button and the command that uses it.
import { useActionState } from "react";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { CopyButton } from "@/components/software/copy-button";
import { CardBody, CardFooter } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { createAgentTokenAction, type CreateTokenState } from "./actions";

export function CreateTokenForm({ consoleUrl }: { consoleUrl: string }) {
  const [state, action] = useActionState<CreateTokenState, FormData>(createAgentTokenAction, { ok: false });
  const command = state.secret ? `ferry agent --server ${consoleUrl} --token ${state.secret}` : "";
  return (
    <form action={action} aria-label="New agent token">
      <CardBody className="space-y-4">
        <FormMessage state={state} />
        {state.secret ? (
          <div className="space-y-2 rounded-md border border-line bg-surface-subtle p-3" role="group" aria-label="New token secret">
            <div className="flex items-center justify-between gap-2">
              <span className="text-sm font-medium">Secret of {state.tokenName}</span>
              <CopyButton value={state.secret} label="Copy the token" />
            </div>
            <code className="block break-all font-mono text-xs" data-testid="agent-token-secret">
              {state.secret}
            </code>
            <p className="text-xs text-fg-muted">On the conversion host:</p>
            <div className="flex items-start justify-between gap-2">
              <code className="block break-all font-mono text-xs">{command}</code>
              <CopyButton value={command} label="Copy the command" />
            </div>
          </div>
        ) : null}
        <Field id="token-name" label="Name" required error={state.fieldErrors?.name}>
          <Input name="name" autoComplete="off" placeholder="conv-host-1" />
        </Field>
      </CardBody>
      <CardFooter>
        <SubmitButton pendingLabel="Creating…">Create token</SubmitButton>
      </CardFooter>
    </form>
  );
}
