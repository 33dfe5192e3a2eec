"use client";
// Revoke button of one token; once revoked, the same cell shows when (and keeps the outcome of
// the action visible: the component stays mounted across the page's refresh).
import { useActionState } from "react";
import { SubmitButton } from "@/components/forms/submit-button";
import { Badge } from "@/components/ui/badge";
import { revokeAgentTokenAction } from "./actions";

export function RevokeTokenForm({ id, name, revoked }: { id: string; name: string; revoked: string | null }) {
  const [state, action] = useActionState(revokeAgentTokenAction, { ok: false });
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
