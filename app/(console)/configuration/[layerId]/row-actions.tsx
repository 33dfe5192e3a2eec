"use client";
// Move an element up or down its list (earlier = tried first by the ladder), or delete it after
// a second click. Outcomes go to the top of the section.
import { useEffect, useState } from "react";
import { useFlash } from "@/components/config/flash";
import { useFormAction } from "@/components/config/use-form-action";
import { Button } from "@/components/ui/button";
import { deleteElementAction, moveElementAction, type ConfigActionState } from "../actions";

type Props = { layerId: string; revision: number; kind: string; index: number; count: number; label: string };

function Hidden({ layerId, revision, kind, index }: Omit<Props, "count" | "label">) {
  return (
    <>
      <input type="hidden" name="layerId" value={layerId} />
      <input type="hidden" name="baseRevision" value={revision} />
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="index" value={index} />
    </>
  );
}

export function RowActions(props: Props) {
  const { index, count, label } = props;
  const flash = useFlash();
  const [moved, onMove, moving] = useFormAction<ConfigActionState>(moveElementAction, { ok: false });
  const [deleted, onDelete, deleting] = useFormAction<ConfigActionState>(deleteElementAction, { ok: false });
  const [confirming, setConfirming] = useState(false);
  useEffect(() => {
    if (moved.message) flash(moved);
  }, [moved, flash]);
  useEffect(() => {
    if (deleted.message) {
      flash(deleted);
      setConfirming(false);
    }
  }, [deleted, flash]);
  return (
    <>
      <form onSubmit={onMove} className="inline-flex" aria-label={`Move ${label}`}>
        <Hidden {...props} />
        <Button type="submit" name="direction" value="up" size="sm" variant="ghost" className="px-2" disabled={index === 0 || moving} aria-label={`Move ${label} up`} title="Move up (tried earlier)">
          ↑
        </Button>
        <Button type="submit" name="direction" value="down" size="sm" variant="ghost" className="px-2" disabled={index === count - 1 || moving} aria-label={`Move ${label} down`} title="Move down (tried later)">
          ↓
        </Button>
      </form>
      <form onSubmit={onDelete} className="inline-flex gap-1" aria-label={`Delete ${label}`}>
        <Hidden {...props} />
        {confirming ? (
          <>
            <Button type="submit" size="sm" variant="danger" pending={deleting} pendingLabel="Deleting…" aria-label={`Confirm deleting ${label}`}>
              Delete
            </Button>
            <Button size="sm" onClick={() => setConfirming(false)}>
              Keep
            </Button>
          </>
        ) : (
          <Button size="sm" variant="ghost" aria-label={`Delete ${label}`} onClick={() => { flash(null); setConfirming(true); }}>
            Delete…
          </Button>
        )}
      </form>
    </>
  );
}
