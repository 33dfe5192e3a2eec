"use client";
// Repeating text rows for -n/-b values ("in:out", ":out", or a plain default name). Each row
// keeps the index it was created with, so a server message for "network.2" stays under that
// row after others are removed.
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { CloseIcon, PlusIcon } from "@/components/ui/icons";
import { Input } from "@/components/ui/input";

export type MappingRowsProps = {
  name: "network" | "bridge";
  label: string;
  placeholder: string;
  errors?: Record<string, string[] | undefined>;
};

export function MappingRows({ name, label, placeholder, errors }: MappingRowsProps) {
  const [rows, setRows] = useState<number[]>([]);
  const add = () => setRows((r) => [...r, (r.at(-1) ?? -1) + 1]);
  return (
    <div className="space-y-2">
      {rows.map((i, n) => (
        <div key={i} className="flex items-start gap-2">
          <Field id={`${name}-${i}`} label={`${label} ${n + 1}`} error={errors?.[`${name}.${i}`]} className="flex-1">
            <Input name={`${name}.${i}`} placeholder={placeholder} autoComplete="off" className="font-mono" />
          </Field>
          <Button size="icon" variant="ghost" className="mt-6" aria-label={`Remove ${label.toLowerCase()} ${n + 1}`} onClick={() => setRows((r) => r.filter((x) => x !== i))}>
            <CloseIcon />
          </Button>
        </div>
      ))}
      <Button size="sm" onClick={add}>
        <PlusIcon /> Add {label.toLowerCase()}
      </Button>
    </div>
  );
}
