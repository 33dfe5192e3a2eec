"use client";
// A capability (what a guest needs for e.g. virtio) and the packages it depends on, each with
// an optional minimum version in rpm's [epoch:]version[-release] form.
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { LayerCapability } from "@/server/config/layer-model";
import { ElementForm, type ElementTarget } from "./element-form";
import { MatchFields } from "./match-fields";
import { Rows } from "./rows";

type Dep = { name: string; minversion: string; ifinstalled: boolean };

export function CapabilityForm({ target, capability }: { target: ElementTarget; capability?: LayerCapability }) {
  return (
    <ElementForm kind="capability" target={target} label={capability ? `Edit capability ${capability.name ?? ""}` : "Add a capability"} submitLabel={capability ? "Save capability" : "Add capability"}>
      {(errors, id) => (
        <>
          {/* Capabilities are matched without an arch: the field only appears to clear one an import brought. */}
          <MatchFields id={id} initial={capability} errors={errors} withArch={capability?.arch !== undefined} />
          <Rows<Dep>
            initial={(capability?.deps ?? []).map((d) => ({ name: d.name, minversion: d.minversion ?? "", ifinstalled: d.ifinstalled === "yes" }))}
            blank={{ name: "", minversion: "", ifinstalled: false }}
            legend="Dependencies (apps installed for this capability)"
            addLabel="Add dependency"
            empty="No dependencies."
            render={(row, i) => (
              <div className="grid items-start gap-2 sm:grid-cols-[1fr_1fr_auto]">
                <Field id={`${id}-dep${i}-name`} label="Name" error={errors(`deps.${i}.name`)}>
                  <Input name={`deps.${i}.name`} defaultValue={row.name} placeholder="kernel" autoComplete="off" className="font-mono" />
                </Field>
                <Field id={`${id}-dep${i}-minversion`} label="Min. version" error={errors(`deps.${i}.minversion`)}>
                  <Input name={`deps.${i}.minversion`} defaultValue={row.minversion} placeholder="2.6.18-128.el5" autoComplete="off" className="font-mono" />
                </Field>
                <Checkbox id={`${id}-dep${i}-ifinstalled`} name={`deps.${i}.ifinstalled`} value="yes" defaultChecked={row.ifinstalled} label="If installed" description="Only upgrade it" className="sm:mt-7" />
              </div>
            )}
          />
        </>
      )}
    </ElementForm>
  );
}
