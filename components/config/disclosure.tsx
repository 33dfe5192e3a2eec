"use client";
// Open-on-demand editors: a table row whose "Edit" button opens its form in a full-width row
// below it, and an "Add ..." button that opens an empty form. The form closes itself through
// useCloseEditor once saved.
import { createContext, useContext, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { PlusIcon } from "@/components/ui/icons";

const Close = createContext<() => void>(() => {});

export function useCloseEditor(): () => void {
  return useContext(Close);
}

export function EditableRow({ cells, actions, form, colSpan, label }: { cells: ReactNode; actions?: ReactNode; form?: ReactNode; colSpan: number; label: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <tr className={open ? "bg-accent-soft/40" : "transition-colors hover:bg-surface-subtle"}>
        {cells}
        {form || actions ? (
          <td className="px-4 py-2 text-right whitespace-nowrap align-middle sm:last:pr-5">
            <span className="inline-flex items-center gap-1">
              {actions}
              {form ? (
                <Button size="sm" variant={open ? "secondary" : "ghost"} aria-expanded={open} aria-label={`${open ? "Close" : "Edit"} ${label}`} onClick={() => setOpen(!open)}>
                  {open ? "Close" : "Edit"}
                </Button>
              ) : null}
            </span>
          </td>
        ) : null}
      </tr>
      {open && form ? (
        <tr>
          <td colSpan={colSpan} className="border-l-2 border-accent bg-surface-subtle px-4 py-4 sm:px-5">
            <Close.Provider value={() => setOpen(false)}>{form}</Close.Provider>
          </td>
        </tr>
      ) : null}
    </>
  );
}

export function AddDisclosure({ label, children }: { label: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <Button variant="secondary" size="sm" onClick={() => setOpen(true)}>
        <PlusIcon /> {label}
      </Button>
    );
  }
  return (
    <div className="rounded-md border border-line bg-surface-subtle p-4">
      <Close.Provider value={() => setOpen(false)}>{children}</Close.Provider>
    </div>
  );
}
