"use client";
// Deletes one file after a second click; a refusal (an app points at it) is shown in the row.
import { useActionState, useState } from "react";
import { SubmitButton } from "@/components/forms/submit-button";
import { Button } from "@/components/ui/button";
import { deleteFileAction } from "./actions";

export function DeleteFileForm({ repositoryId, path }: { repositoryId: string; path: string }) {
  const [state, action] = useActionState(deleteFileAction, { ok: false });
  const [confirming, setConfirming] = useState(false);
  return (
    <form action={action} className="flex max-w-md flex-col items-end gap-1.5">
      <input type="hidden" name="repositoryId" value={repositoryId} />
      <input type="hidden" name="path" value={path} />
      {confirming ? (
        <span className="flex gap-1.5">
          <SubmitButton size="sm" variant="danger" pendingLabel="Deleting…" aria-label={`Confirm deleting ${path}`}>
            Delete
          </SubmitButton>
          <Button size="sm" onClick={() => setConfirming(false)}>
            Keep
          </Button>
        </span>
      ) : (
        <Button size="sm" variant="ghost" aria-label={`Delete ${path}`} onClick={() => setConfirming(true)}>
          Delete…
        </Button>
      )}
      {state.message && !state.ok ? (
        <p role="alert" className="text-right text-xs whitespace-normal text-danger-fg">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
