"use client";
import { useActionState } from "react";
import { SubmitButton } from "@/components/forms/submit-button";
import { revokeAgentTokenAction } from "./actions";

export function RevokeTokenForm({ id, name }: { id: string; name: string }) {
  const [state, action] = useActionState(revokeAgentTokenAction, { ok: false });
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="id" value={id} />
      <SubmitButton size="sm" variant="secondary" pendingLabel="Revoking…" aria-label={`Revoke ${name}`}>
        Revoke
      </SubmitButton>
      {state.message ? (
        <span role={state.ok ? "status" : "alert"} className={state.ok ? "text-xs text-success-fg" : "text-xs text-danger-fg"}>
          {state.message}
        </span>
      ) : null}
    </form>
  );
}
