"use client";
// The frame of every element form: the hidden fields that say which layer, which revision the
// edit started from (baseRevision) and which element; the outcome; Save and Cancel. Once
// saved it closes and reports at the top of its section.
import { useEffect, type ReactNode } from "react";
import { ActionMessage } from "@/components/config/action-message";
import { useCloseEditor } from "@/components/config/disclosure";
import { useFlash } from "@/components/config/flash";
import { useFormAction } from "@/components/config/use-form-action";
import { Button } from "@/components/ui/button";
import { saveElementAction, type ConfigActionState } from "../actions";

export type Errors = (name: string) => string[] | undefined;

export type ElementTarget = { layerId: string; revision: number; index?: number };

export function ElementForm({ kind, target, label, submitLabel, children }: { kind: string; target: ElementTarget; label: string; submitLabel: string; children: (errors: Errors, idPrefix: string) => ReactNode }) {
  const [state, onSubmit, pending] = useFormAction<ConfigActionState>(saveElementAction, { ok: false });
  const close = useCloseEditor();
  const flash = useFlash();
  useEffect(() => {
    if (state.ok) {
      flash(state);
      close();
    }
  }, [state, flash, close]);
  const idPrefix = `${kind}-${target.index ?? "new"}`;
  return (
    <form onSubmit={onSubmit} aria-label={label} className="space-y-4" noValidate>
      <input type="hidden" name="layerId" value={target.layerId} />
      <input type="hidden" name="baseRevision" value={target.revision} />
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="index" value={target.index ?? ""} />
      <ActionMessage state={state} />
      {children((name) => state.fieldErrors?.[name], idPrefix)}
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" variant="primary" pending={pending} pendingLabel="Saving…">
          {submitLabel}
        </Button>
        <Button onClick={() => { flash(null); close(); }}>Cancel</Button>
        <span className="text-xs text-fg-muted">Saving makes a new revision of the layer (you started from revision {target.revision}).</span>
      </div>
    </form>
  );
}
