"use client";
// The layer's <path-root>: the directory on the agent host its relative app paths resolve in
// (where the agent puts the layer's repository).
import { ActionMessage } from "@/components/config/action-message";
import { useFormAction } from "@/components/config/use-form-action";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { setPathRootAction, type ConfigActionState } from "../actions";

export function PathRootForm({ layerId, revision, pathRoot }: { layerId: string; revision: number; pathRoot: string | undefined }) {
  const [state, onSubmit, pending] = useFormAction<ConfigActionState>(setPathRootAction, { ok: false });
  return (
    <form onSubmit={onSubmit} className="space-y-3" aria-label="Path root">
      <input type="hidden" name="layerId" value={layerId} />
      <input type="hidden" name="baseRevision" value={revision} />
      <ActionMessage state={state} />
      <Field id="path-root" label="Path root" optional error={state.fieldErrors?.pathRoot} hint="An absolute directory, e.g. /var/lib/virt-v2v/software. Blank: none.">
        <Input name="pathRoot" defaultValue={pathRoot ?? ""} autoComplete="off" className="font-mono" />
      </Field>
      <Button type="submit" variant="secondary" pending={pending} pendingLabel="Saving…">
        Save path root
      </Button>
    </form>
  );
}
