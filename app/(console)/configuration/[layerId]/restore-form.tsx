"use client";
// Brings an earlier revision back as a new revision, after a second click.
import { useState } from "react";
import { ActionMessage } from "@/components/config/action-message";
import { useFormAction } from "@/components/config/use-form-action";
import { Button } from "@/components/ui/button";
import { restoreRevisionAction, type ConfigActionState } from "../actions";

export function RestoreForm({ layerId, revision, number }: { layerId: string; revision: number; number: number }) {
  const [state, onSubmit, pending] = useFormAction<ConfigActionState>(restoreRevisionAction, { ok: false });
  const [confirming, setConfirming] = useState(false);
  return (
    <form onSubmit={onSubmit} className="space-y-2" aria-label={`Restore revision ${number}`}>
      <input type="hidden" name="layerId" value={layerId} />
      <input type="hidden" name="baseRevision" value={revision} />
      <input type="hidden" name="number" value={number} />
      <ActionMessage state={state} />
      {confirming && !state.ok ? (
        <div className="flex flex-wrap items-center gap-2">
          <span className="text-sm text-fg-muted">Make revision {number}&apos;s configuration the layer&apos;s, as revision {revision + 1}?</span>
          <Button type="submit" variant="primary" size="sm" pending={pending} pendingLabel="Restoring…">
            Restore revision {number}
          </Button>
          <Button size="sm" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
        </div>
      ) : state.ok ? null : (
        <Button size="sm" onClick={() => setConfirming(true)}>
          Restore this revision…
        </Button>
      )}
    </form>
  );
}
