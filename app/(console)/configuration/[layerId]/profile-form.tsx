"use client";
// A profile: method, storage, format, allocation, and its own network mappings (tried before
// the layer's top-level networks when a conversion uses this profile).
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { LayerProfile } from "@/server/config/layer-model";
import { ElementForm, type ElementTarget } from "./element-form";
import { NetworkFields, networkInitial, type NetworkInitial } from "./network-fields";
import { Rows } from "./rows";

export function ProfileForm({ target, profile }: { target: ElementTarget; profile?: LayerProfile }) {
  const label = profile ? `Edit profile ${profile.name ?? ""}` : "Add a profile";
  return (
    <ElementForm kind="profile" target={target} label={label} submitLabel={profile ? "Save profile" : "Add profile"}>
      {(errors, id) => (
        <>
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
            <Field id={`${id}-name`} label="Name" required error={errors("name")} hint="What -p names.">
              <Input name="name" defaultValue={profile?.name ?? ""} autoComplete="off" />
            </Field>
            <Field id={`${id}-method`} label="Method" required error={errors("method")}>
              <Select name="method" defaultValue={profile?.method ?? "libvirt"}>
                <option value="libvirt">libvirt</option>
                <option value="local">local</option>
                <option value="rhev">rhev</option>
              </Select>
            </Field>
            <Field id={`${id}-location`} label="Storage" required error={errors("location")} hint="Pool, directory or host:/path" className="lg:col-span-1">
              <Input name="location" defaultValue={profile?.storage?.location ?? ""} autoComplete="off" className="font-mono" />
            </Field>
            <Field id={`${id}-format`} label="Format" optional error={errors("format")}>
              <Select name="format" defaultValue={profile?.storage?.format ?? ""}>
                <option value="">as the source</option>
                <option value="raw">raw</option>
                <option value="qcow2">qcow2</option>
              </Select>
            </Field>
            <Field id={`${id}-allocation`} label="Allocation" optional error={errors("allocation")}>
              <Select name="allocation" defaultValue={profile?.storage?.allocation ?? ""}>
                <option value="">as the source</option>
                <option value="sparse">sparse</option>
                <option value="preallocated">preallocated</option>
              </Select>
            </Field>
          </div>
          <Rows<NetworkInitial>
            initial={(profile?.networks ?? []).map(networkInitial)}
            blank={networkInitial(undefined)}
            legend="Network mappings of this profile (first match wins)"
            addLabel="Add network mapping"
            empty="None: the layer's networks apply."
            render={(row, i) => <NetworkFields prefix={`networks.${i}.`} idPrefix={`${id}-net${i}`} initial={row} errors={errors} compact />}
          />
        </>
      )}
    </ElementForm>
  );
}
