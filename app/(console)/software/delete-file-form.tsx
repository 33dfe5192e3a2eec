"use client";
// Deletes one file after a second click; a refusal (an app points at it) is shown in the row.
import { useActionState, useState } from "react";
import { SubmitButton } from "@/components/forms/submit-button";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { deleteFileAction } from "./actions";

export function DeleteFileForm({ repositoryId, path }: { repositoryId: string; path: string }) {
  const [state, action] = useActionState(deleteFileAction, { ok: false });
  const [confirming, setConfirming] = useState(false);
  return (
    <form action={action} className="flex flex-col items-end gap-1.5">
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
        <Alert tone="danger" className="w-80 text-left whitespace-normal">
          {state.message}
        </Alert>
      ) : null}
    </form>
  );
}
