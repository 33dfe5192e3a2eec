"use client";
import { useActionState } from "react";
import { SubmitButton } from "@/components/forms/submit-button";
import { retireAgentAction } from "./actions";

export function RetireAgentForm({ id, name }: { id: string; name: string }) {
  const [state, action] = useActionState(retireAgentAction, { ok: false });
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="id" value={id} />
      {state.message ? (
        <span role={state.ok ? "status" : "alert"} className={state.ok ? "text-xs text-success-fg" : "text-xs text-danger-fg"}>
          {state.message}
        </span>
      ) : null}
      <SubmitButton size="sm" variant="secondary" pendingLabel="Retiring…" aria-label={`Retire ${name}`}>
        Retire
      </SubmitButton>
    </form>
  );
}
