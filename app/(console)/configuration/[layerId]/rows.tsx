"use client";
// Repeated rows inside an element form (a profile's network mappings, a capability's deps):
// named list.N.field so each error lands on its own input. "Add row" appends an empty one;
// a removed row is simply not sent.
import { useRef, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { CloseIcon, PlusIcon } from "@/components/ui/icons";

export function Rows<T>({ initial, blank, legend, addLabel, empty, render }: { initial: T[]; blank: T; legend: string; addLabel: string; empty: string; render: (row: T, i: number) => ReactNode }) {
  const next = useRef(initial.length);
  const [rows, setRows] = useState(() => initial.map((value, key) => ({ key, value })));
  return (
    <fieldset className="space-y-2">
      <legend className="mb-1.5 text-sm font-medium text-fg">{legend}</legend>
      {rows.length === 0 ? <p className="text-sm text-fg-muted">{empty}</p> : null}
      {rows.map((row, i) => (
        <div key={row.key} className="flex items-start gap-2 rounded-md border border-line bg-surface p-2.5">
          <span className="mt-2 w-5 shrink-0 text-right text-xs text-fg-subtle tabular-nums">{i + 1}</span>
          <div className="min-w-0 flex-1">{render(row.value, i)}</div>
          <Button size="icon" variant="ghost" className="mt-0.5 size-8" aria-label={`Remove row ${i + 1}`} title="Remove this row" onClick={() => setRows(rows.filter((r) => r.key !== row.key))}>
            <CloseIcon />
          </Button>
        </div>
      ))}
      <Button size="sm" variant="ghost" onClick={() => setRows([...rows, { key: next.current++, value: blank }])}>
        <PlusIcon /> {addLabel}
      </Button>
    </fieldset>
  );
}
