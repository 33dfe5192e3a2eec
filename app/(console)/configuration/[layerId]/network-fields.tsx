"use client";
// Source (bridge | network | default) -> target (bridge | network): one mapping's inputs, used
// for top-level network mappings and for a profile's rows.
import { useState } from "react";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { LayerNetwork } from "@/server/config/layer-model";
import type { Errors } from "./element-form";

export type NetworkInitial = { sourceType: string; sourceName: string; targetType: string; targetName: string };

export function networkInitial(n: LayerNetwork | undefined): NetworkInitial {
  return { sourceType: n?.type ?? "bridge", sourceName: n?.name ?? "", targetType: n?.target?.type ?? "network", targetName: n?.target?.name ?? "" };
}

export function NetworkFields({ prefix, idPrefix, initial, errors, compact = false }: { prefix: string; idPrefix: string; initial: NetworkInitial; errors: Errors; compact?: boolean }) {
  const [sourceType, setSourceType] = useState(initial.sourceType);
  const e = (f: string) => errors(`${prefix}${f}`);
  return (
    <div className={compact ? "grid gap-2 sm:grid-cols-4" : "grid gap-4 sm:grid-cols-4"}>
      <Field id={`${idPrefix}-sourceType`} label="Source type" error={e("sourceType")}>
        <Select name={`${prefix}sourceType`} value={sourceType} onChange={(ev) => setSourceType(ev.target.value)}>
          <option value="bridge">bridge</option>
          <option value="network">network</option>
          <option value="default">default (any other)</option>
        </Select>
      </Field>
      <Field id={`${idPrefix}-sourceName`} label="Source name" error={e("sourceName")}>
        <Input name={`${prefix}sourceName`} defaultValue={initial.sourceName} disabled={sourceType === "default"} placeholder={sourceType === "default" ? "any" : "br0"} autoComplete="off" className="font-mono" />
      </Field>
      <Field id={`${idPrefix}-targetType`} label="Target type" error={e("targetType")}>
        <Select name={`${prefix}targetType`} defaultValue={initial.targetType}>
          <option value="network">network</option>
          <option value="bridge">bridge</option>
        </Select>
      </Field>
      <Field id={`${idPrefix}-targetName`} label="Target name" error={e("targetName")}>
        <Input name={`${prefix}targetName`} defaultValue={initial.targetName} placeholder="default" autoComplete="off" className="font-mono" />
      </Field>
    </div>
  );
}
