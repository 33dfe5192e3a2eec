"use client";
// Rename, describe and bind a layer to a software repository; delete it after a second click.
// The Vendor layer keeps its name: only its repository may change, and it cannot be deleted.
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { ActionMessage } from "@/components/config/action-message";
import { useFormAction } from "@/components/config/use-form-action";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { deleteLayerAction, updateLayerAction, type ConfigActionState } from "./actions";

export type RepositoryOption = { id: string; name: string };

type Props = { layerId: string; name: string; description: string; repositoryId: string | null; vendor: boolean; repositories: RepositoryOption[]; afterDelete?: string };

export function LayerSettingsForm({ layerId, name, description, repositoryId, vendor, repositories, afterDelete }: Props) {
  const [saved, onSave, saving] = useFormAction<ConfigActionState>(updateLayerAction, { ok: false });
  const [deleted, onDelete, deleting] = useFormAction<ConfigActionState>(deleteLayerAction, { ok: false });
  const [confirming, setConfirming] = useState(false);
  const router = useRouter();
  useEffect(() => {
    if (deleted.ok && afterDelete) router.push(afterDelete);
  }, [deleted, afterDelete, router]);
  const id = `layer-${layerId}`;
  return (
    <div className="grid gap-6 md:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
      <form onSubmit={onSave} className="space-y-3" aria-label={`Settings of ${name}`}>
        <input type="hidden" name="layerId" value={layerId} />
        <ActionMessage state={saved} />
        {vendor ? null : (
          <div className="grid gap-3 sm:grid-cols-2">
            <Field id={`${id}-name`} label="Name" required error={saved.fieldErrors?.name}>
              <Input name="name" defaultValue={name} autoComplete="off" />
            </Field>
            <Field id={`${id}-description`} label="Description" optional error={saved.fieldErrors?.description}>
              <Input name="description" defaultValue={description} autoComplete="off" />
            </Field>
          </div>
        )}
        <Field id={`${id}-repository`} label="Software repository" error={saved.fieldErrors?.repositoryId} hint="Where the layer's relative app paths are found.">
          <Select name="repositoryId" defaultValue={repositoryId ?? ""}>
            <option value="">None</option>
            {repositories.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </Select>
        </Field>
        <Button type="submit" variant="secondary" pending={saving} pendingLabel="Saving…">
          {vendor ? "Save repository" : "Save layer settings"}
        </Button>
      </form>
      {vendor ? (
        <p className="text-sm text-fg-muted">The Vendor layer ships with Ferry: it is read-only and always searched last. Override its entries in a team layer.</p>
      ) : (
        <form onSubmit={onDelete} className="space-y-3" aria-label={`Delete ${name}`}>
          <input type="hidden" name="layerId" value={layerId} />
          <ActionMessage state={deleted} />
          <p className="text-sm text-fg-muted">Deleting removes the layer and its history from the search order. Export it first if you may want it back.</p>
          {confirming ? (
            <div className="flex flex-wrap gap-2">
              <Button type="submit" variant="danger" pending={deleting} pendingLabel="Deleting…">
                Delete {name} for good
              </Button>
              <Button onClick={() => setConfirming(false)}>Keep it</Button>
            </div>
          ) : (
            <Button variant="danger" onClick={() => setConfirming(true)}>
              Delete layer…
            </Button>
          )}
        </form>
      )}
    </div>
  );
}
