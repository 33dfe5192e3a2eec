"use client";
import { useActionState } from "react";
import { SubmitButton } from "@/components/forms/submit-button";
import { revokeSessionsAction } from "./actions";

/** Ends every session of one user: their cookies stop working and their live views close. */
export function RevokeSessionsForm({ userId }: { userId: string }) {
  const [state, action] = useActionState(revokeSessionsAction, { ok: false });
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <SubmitButton size="sm" variant="secondary" pendingLabel="Signing out…">
        Sign out everywhere
      </SubmitButton>
      {state.message ? (
        <span role={state.ok ? "status" : "alert"} className={state.ok ? "text-xs text-success-fg" : "text-xs text-danger-fg"}>
          {state.message}
        </span>
      ) : null}
    </form>
  );
}
