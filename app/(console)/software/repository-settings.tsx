"use client";
// Rename (and describe) a repository, or delete it; shown to admins only.
import { useActionState, useState } from "react";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { deleteRepositoryAction, renameRepositoryAction } from "./actions";

export function RepositorySettings({ id, name, description, fileCount }: { id: string; name: string; description: string; fileCount: number }) {
  const [renamed, rename] = useActionState(renameRepositoryAction, { ok: false });
  const [deleted, remove] = useActionState(deleteRepositoryAction, { ok: false });
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="grid gap-6 md:grid-cols-2">
      <form action={rename} className="space-y-3" aria-label={`Rename ${name}`}>
        <input type="hidden" name="repositoryId" value={id} />
        <FormMessage state={renamed} />
        <Field id={`rename-${id}`} label="Name" required error={renamed.fieldErrors?.name}>
          <Input name="name" defaultValue={name} autoComplete="off" />
        </Field>
        <Field id={`describe-${id}`} label="Description" optional error={renamed.fieldErrors?.description}>
          <Input name="description" defaultValue={description} autoComplete="off" />
        </Field>
        <SubmitButton variant="secondary" pendingLabel="Saving…">
          Save name and description
        </SubmitButton>
      </form>
      <form action={remove} className="space-y-3" aria-label={`Delete ${name}`}>
        <input type="hidden" name="repositoryId" value={id} />
        <FormMessage state={deleted} />
        <p className="text-sm text-fg-muted">
          Deleting removes the repository and its {fileCount} {fileCount === 1 ? "file" : "files"} from disk. It is refused while an app points at one of them.
        </p>
        {confirming ? (
          <div className="flex flex-wrap gap-2">
            <SubmitButton variant="danger" pendingLabel="Deleting…">
              Delete {name} for good
            </SubmitButton>
            <Button onClick={() => setConfirming(false)}>Keep it</Button>
          </div>
        ) : (
          <Button variant="danger" onClick={() => setConfirming(true)}>
            Delete repository…
          </Button>
        )}
      </form>
    </div>
  );
}
