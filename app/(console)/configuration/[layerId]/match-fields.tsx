"use client";
// The attributes the matching ladder compares (name, os, distro, major, minor, arch). A blank
// attribute is absent, which is not the same as any value: the ladder's rungs tell them apart.
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { Errors } from "./element-form";

type Match = { name?: string | undefined; os?: string | undefined; distro?: string | undefined; major?: string | undefined; minor?: string | undefined; arch?: string | undefined };

export function MatchFields({ id, initial, errors, withArch }: { id: string; initial?: Match; errors: Errors; withArch: boolean }) {
  const field = (name: keyof Match, label: string, opts: { required?: boolean; placeholder?: string; hint?: string } = {}) => (
    <Field id={`${id}-${name}`} label={label} required={opts.required} error={errors(name)} hint={opts.hint}>
      <Input name={name} defaultValue={initial?.[name] ?? ""} placeholder={opts.placeholder} autoComplete="off" className="font-mono" />
    </Field>
  );
  return (
    <div className={withArch ? "grid gap-4 sm:grid-cols-3 lg:grid-cols-6" : "grid gap-4 sm:grid-cols-3 lg:grid-cols-5"}>
      {field("name", "Name", { required: true, placeholder: "kernel" })}
      {field("os", "OS", { required: true, placeholder: "linux" })}
      {field("distro", "Distro", { placeholder: "any" })}
      {field("major", "Major", { placeholder: "any" })}
      {field("minor", "Minor", { placeholder: "any" })}
      {withArch ? field("arch", "Arch", { placeholder: "any" }) : null}
    </div>
  );
}
