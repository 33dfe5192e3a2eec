"use client";
// Import a virt-v2v.conf into this layer: paste it or upload it, see what it would add, change
// and remove (nothing is written yet), then apply exactly what was previewed. The apply step
// sends the revision the preview was made against, so an edit made meanwhile is not lost.
import { useEffect, useRef, useState } from "react";
import { ActionMessage } from "@/components/config/action-message";
import { DiffCounts, DiffSummary } from "@/components/config/diff-view";
import { useFormAction } from "@/components/config/use-form-action";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { applyImportAction, previewImportAction, type ConfigActionState, type ImportPreviewState } from "../actions";

export function ImportForm({ layerId, layerName }: { layerId: string; layerName: string }) {
  const [preview, onPreview, previewing] = useFormAction<ImportPreviewState>(previewImportAction, { ok: false });
  const [applied, , applying, apply] = useFormAction<ConfigActionState>(applyImportAction, { ok: false });
  const [showing, setShowing] = useState(false);
  const previewed = useRef<FormData | null>(null);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => setShowing(preview.ok && preview.preview !== undefined), [preview]);
  useEffect(() => {
    if (applied.ok) {
      setShowing(false);
      form.current?.reset();
    }
  }, [applied]);

  const p = showing ? preview.preview : undefined;
  const empty = p ? p.diff.counts.added + p.diff.counts.changed + p.diff.counts.removed + p.diff.counts.moved === 0 && p.diff.settings.length === 0 : false;

  return (
    <div className="space-y-4">
      <form
        ref={form}
        aria-label={`Import into ${layerName}`}
        className="space-y-4"
        onSubmit={(e) => {
          previewed.current = new FormData(e.currentTarget);
          onPreview(e);
        }}
        onChange={() => setShowing(false)}
      >
        <input type="hidden" name="layerId" value={layerId} />
        {showing ? null : <ActionMessage state={preview} />}
        <ActionMessage state={applied} />
        <Field id="import-text" label="Paste a virt-v2v.conf" hint="Or choose a file below; a chosen file is used instead of pasted text.">
          <Textarea name="text" mono rows={8} placeholder={"<virt-v2v>\n  <profile name='…' method='libvirt' storage='default'>…</profile>\n</virt-v2v>"} spellCheck={false} />
        </Field>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="import-file" label="Upload a file" optional>
            <Input type="file" name="file" accept=".conf,.xml,.db,text/xml,application/xml,text/plain" />
          </Field>
          <Field id="import-file-name" label="File name for messages" optional hint="Errors say file:line:column with this name.">
            <Input name="fileName" placeholder="virt-v2v.conf" autoComplete="off" />
          </Field>
        </div>
        <Button type="submit" variant="primary" pending={previewing} pendingLabel="Reading…">
          Preview import
        </Button>
      </form>

      {p ? (
        <section aria-label="Import preview" className="space-y-4 rounded-md border border-accent-line bg-surface-subtle p-4">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <div>
              <h3 className="text-sm font-semibold text-fg">
                Importing {p.fileName} into {p.layerName} would make these changes
              </h3>
              <p className="text-xs text-fg-muted">Nothing has been written yet. Compared with revision {p.baseRevision}.</p>
            </div>
            <DiffCounts diff={p.diff} />
          </div>
          {p.warnings.length ? (
            <Alert tone="warning" title={`${p.warnings.length} ${p.warnings.length === 1 ? "warning" : "warnings"} about the file`}>
              <ul className="space-y-0.5 font-mono text-xs">
                {p.warnings.map((w, i) => (
                  <li key={i}>
                    {w.file}:{w.line}:{w.column}: {w.message}
                  </li>
                ))}
              </ul>
            </Alert>
          ) : null}
          <DiffSummary diff={p.diff} empty="No changes: the layer already holds exactly this configuration." />
          <form
            aria-label="Apply import"
            className="flex flex-wrap items-center gap-2 border-t border-line pt-4"
            onSubmit={(e) => {
              e.preventDefault();
              const data = new FormData();
              for (const [k, v] of previewed.current?.entries() ?? []) data.append(k, v);
              data.set("baseRevision", String(p.baseRevision));
              apply(data);
            }}
          >
            <Button type="submit" variant="primary" pending={applying} pendingLabel="Applying…" disabled={empty}>
              Apply import
            </Button>
            <Button onClick={() => setShowing(false)}>Discard</Button>
            <span className="text-xs text-fg-muted">{empty ? "There is nothing to apply." : `Applied in one step as revision ${p.baseRevision + 1}.`}</span>
          </form>
        </section>
      ) : null}
    </div>
  );
}
