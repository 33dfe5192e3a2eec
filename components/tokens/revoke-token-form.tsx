"use client";
// Revoke button of one token (agent or API); once revoked, the same cell says when and keeps the
// outcome of the action visible (the component stays mounted across the page's refresh).
import { useActionState } from "react";
import type { FormResult } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { Badge } from "@/components/ui/badge";

export type RevokeTokenFormProps<S extends FormResult> = {
  /** The server action revoking the token whose id the form posts. */
  action: (prev: Awaited<S>, formData: FormData) => Promise<S>;
  id: string;
  name: string;
  /** When it was revoked, formatted; null while it is live. */
  revoked: string | null;
  /** Past its expiry: nothing left to revoke. */
  expired?: boolean;
};

export function RevokeTokenForm<S extends FormResult>({ action: revoke, id, name, revoked, expired = false }: RevokeTokenFormProps<S>) {
  const [state, action] = useActionState<S, FormData>(revoke, { ok: false } as Awaited<S>);
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
