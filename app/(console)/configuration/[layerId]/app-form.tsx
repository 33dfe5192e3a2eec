"use client";
// An app: the file virt-v2v installs for a matching guest (relative to the layer's path-root,
// i.e. its software repository, or an absolute path on the agent host) and the apps it needs.
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { LayerApp } from "@/server/config/layer-model";
import { ElementForm, type ElementTarget } from "./element-form";
import { MatchFields } from "./match-fields";

export function AppForm({ target, app }: { target: ElementTarget; app?: LayerApp }) {
  return (
    <ElementForm kind="app" target={target} label={app ? `Edit app ${app.name ?? ""}` : "Add an app"} submitLabel={app ? "Save app" : "Add app"}>
      {(errors, id) => (
        <>
          <MatchFields id={id} initial={app} errors={errors} withArch />
          <div className="grid gap-4 sm:grid-cols-[2fr_1fr]">
            <Field id={`${id}-path`} label="Path" required error={errors("path")} hint="Relative: a file in the layer's repository. Absolute: a file on the agent host.">
              <Input name="path" defaultValue={app?.path ?? ""} placeholder="rhel/5/kernel-2.6.18-128.el5.x86_64.rpm" autoComplete="off" className="font-mono" />
            </Field>
            <Field id={`${id}-deps`} label="Depends on" optional error={errors("deps")} hint="App names, separated by spaces or commas.">
              <Input name="deps" defaultValue={app?.deps.join(" ") ?? ""} placeholder="ecryptfs-utils" autoComplete="off" className="font-mono" />
            </Field>
          </div>
        </>
      )}
    </ElementForm>
  );
}
