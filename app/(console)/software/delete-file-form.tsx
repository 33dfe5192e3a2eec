"use client";
// Deletes one file after a second click; a refusal (an app points at it) shows above the table.
import { useActionState, useEffect, useState } from "react";
import { SubmitButton } from "@/components/forms/submit-button";
import { Button } from "@/components/ui/button";
import { deleteFileAction } from "./actions";
import { useFileMessage } from "./file-messages";

export function DeleteFileForm({ repositoryId, path }: { repositoryId: string; path: string }) {
  const [state, action] = useActionState(deleteFileAction, { ok: false });
  const [confirming, setConfirming] = useState(false);
  const report = useFileMessage();
  useEffect(() => {
    if (!state.ok && state.message) {
      report({ path, message: state.message });
      setConfirming(false);
    }
  }, [state, path, report]);
  return (
    <form action={action} className="flex justify-end">
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
        <Button
          size="sm"
          variant="ghost"
          aria-label={`Delete ${path}`}
          onClick={() => {
            report(null);
            setConfirming(true);
          }}
        >
          Delete…
        </Button>
      )}
    </form>
  );
}
