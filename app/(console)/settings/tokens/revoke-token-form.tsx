"use client";
// Revoke button of one API token; once revoked, the cell says when.
import { useActionState } from "react";
import { SubmitButton } from "@/components/forms/submit-button";
import { Badge } from "@/components/ui/badge";
import { revokeApiTokenAction } from "./actions";

export function RevokeApiTokenForm({ id, name, revoked, expired }: { id: string; name: string; revoked: string | null; expired: boolean }) {
  const [state, action] = useActionState(revokeApiTokenAction, { ok: false });
  const message = state.message ? (
    <span role={state.ok ? "status" : "alert"} className={state.ok ? "text-xs text-success-fg" : "text-xs text-danger-fg"}>
      {state.message}
    </span>
  ) : null;
  if (revoked) {
    return (
      <div className="flex flex-col items-start gap-1">
        <Badge tone="danger">revoked {revoked}</Badge>
        {message}
      </div>
    );
  }
  if (expired) return <Badge tone="warning">expired</Badge>;
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="id" value={id} />
      <SubmitButton size="sm" variant="secondary" pendingLabel="Revoking…" aria-label={`Revoke ${name}`}>
        Revoke
      </SubmitButton>
      {message}
    </form>
  );
}
