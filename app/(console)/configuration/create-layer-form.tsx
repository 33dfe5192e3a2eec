"use client";
import { ActionMessage } from "@/components/config/action-message";
import { useFormAction } from "@/components/config/use-form-action";
import { Button } from "@/components/ui/button";
import { CardBody, CardFooter } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { createLayerAction, type ConfigActionState } from "./actions";
import type { RepositoryOption } from "./layer-settings-form";

export function CreateLayerForm({ repositories }: { repositories: RepositoryOption[] }) {
  const [state, onSubmit, pending] = useFormAction<ConfigActionState>(createLayerAction, { ok: false });
  return (
    <form onSubmit={onSubmit} aria-label="New layer" key={state.ok ? state.message : "form"}>
      <CardBody className="space-y-4">
        <ActionMessage state={state} />
        <Field id="layer-name" label="Name" required error={state.fieldErrors?.name}>
          <Input name="name" autoComplete="off" placeholder="Site" />
        </Field>
        <Field id="layer-description" label="Description" optional error={state.fieldErrors?.description}>
          <Input name="description" autoComplete="off" placeholder="Our kernels and networks" />
        </Field>
        <Field id="layer-repository" label="Software repository" optional error={state.fieldErrors?.repositoryId} hint={repositories.length ? "Where its apps' relative paths are found." : "Create one on the Software page to bind it."}>
          <Select name="repositoryId" defaultValue="">
            <option value="">None</option>
            {repositories.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </Select>
        </Field>
      </CardBody>
      <CardFooter>
        <Button type="submit" variant="primary" pending={pending} pendingLabel="Creating…">
          Create layer
        </Button>
      </CardFooter>
    </form>
  );
}
