"use client";
import { useActionState } from "react";
import { SubmitButton } from "@/components/forms/submit-button";
import { Select } from "@/components/ui/select";
import { setRoleAction } from "./actions";

const ROLES = ["admin", "operator", "viewer"] as const;

export function RoleForm({ userId, email, role }: { userId: string; email: string; role: string }) {
  const [state, action] = useActionState(setRoleAction, { ok: false });
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <Select name="role" defaultValue={role} aria-label={`Role of ${email}`} className="w-32">
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </Select>
      <SubmitButton size="sm" variant="secondary" pendingLabel="Saving…">
        Save
      </SubmitButton>
      {state.message ? (
        <span role={state.ok ? "status" : "alert"} className={state.ok ? "text-xs text-success-fg" : "text-xs text-danger-fg"}>
          {state.message}
        </span>
      ) : null}
    </form>
  );
}
