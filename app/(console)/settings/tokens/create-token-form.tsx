"use client";
// New API token: the secret comes back once, with how a script uses it; the token expires and
// may be read-only.
import { CreateTokenForm } from "@/components/tokens/create-token-form";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { createApiTokenAction } from "./actions";

export function CreateApiTokenForm({ consoleUrl }: { consoleUrl: string }) {
  return (
    <CreateTokenForm
      action={createApiTokenAction}
      label="New API token"
      nameId="api-token-name"
      namePlaceholder="nightly migration script"
      secretTestId="api-token-secret"
      usage={(secret) => (
        <>
          <p className="text-xs text-fg-muted">In a script: send <code>Authorization: Bearer TOKEN</code> to /api/v1, or</p>
          <code className="block break-all font-mono text-xs">{`FERRY_TOKEN=${secret} ferry convert --server ${consoleUrl} ...`}</code>
        </>
      )}
      fields={(state) => (
        <>
          <Field id="api-token-days" label="Expires after (days)" required error={state.fieldErrors?.expiresInDays}>
            <Input name="expiresInDays" type="number" min={1} max={366} defaultValue={30} />
          </Field>
          <Checkbox id="api-token-read-only" name="readOnly" label="Read-only" description="The token may only read (GET); it cannot start, cancel or change anything." />
        </>
      )}
    />
  );
}
