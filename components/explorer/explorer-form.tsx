"use client";
// The explorer's question. A GET form: without JavaScript the browser submits it to
// /explorer?kind=...; with it, the same URL (blank fields left out) is pushed, and the server
// renders the answer either way, so every answer has a link.
import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { SearchIcon } from "@/components/ui/icons";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { explorerHref, type ExplorerKind, type ExplorerValues } from "./query";

export type ExplorerFormProps = {
  values: ExplorerValues;
  fieldErrors?: Record<string, string[] | undefined>;
  /** Names in the stack, for suggestions. */
  names: { app: string[]; capability: string[] };
};

const OS = ["linux", "windows"];
const DISTROS = ["rhel", "centos", "scientificlinux", "fedora", "sles", "opensuse", "redhat-based", "suse-based", "debian"];
const ARCHES = ["x86_64", "i686", "i586", "i386"];

export function ExplorerForm({ values, fieldErrors = {}, names }: ExplorerFormProps) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [kind, setKind] = useState<ExplorerKind>(values.kind);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const read = (k: string) => String(data.get(k) ?? "");
    const href = explorerHref({ kind: read("kind"), name: read("name"), os: read("os"), distro: read("distro"), major: read("major"), minor: read("minor"), arch: read("arch") });
    startTransition(() => router.push(href, { scroll: false }));
  };

  const text = (name: Exclude<keyof ExplorerValues, "kind">, label: string, props: { hint?: string; placeholder?: string; list?: string; required?: boolean; className?: string } = {}) => (
    <Field id={`explorer-${name}`} label={label} hint={props.hint} error={fieldErrors[name]} optional={!props.required} className={props.className}>
      <Input
        name={name}
        defaultValue={values[name]}
        placeholder={props.placeholder}
        list={props.list}
        required={props.required}
        autoComplete="off"
        spellCheck={false}
        className="font-mono"
      />
    </Field>
  );

  return (
    <form method="get" action="/explorer" onSubmit={submit} aria-label="Which rule wins?" className="space-y-4">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-[9rem_minmax(0,1.4fr)_repeat(2,minmax(0,1fr))]">
        <Field id="explorer-kind" label="Kind" error={fieldErrors.kind}>
          <Select name="kind" defaultValue={values.kind} onChange={(e) => setKind(e.currentTarget.value === "capability" ? "capability" : "app")}>
            <option value="app">app</option>
            <option value="capability">capability</option>
          </Select>
        </Field>
        {text("name", "Name", { placeholder: kind === "app" ? "kernel, virtio, rhsrvany" : "virtio, qxl", list: `explorer-names-${kind}`, required: true })}
        {text("os", "OS", { placeholder: "linux", list: "explorer-os", required: true })}
        {text("distro", "Distro", { placeholder: "rhel (Linux only)", list: "explorer-distros" })}
      </div>
      <div className="grid gap-4 sm:grid-cols-3 lg:grid-cols-[9rem_9rem_minmax(0,1fr)]">
        {text("major", "Major", { placeholder: "5" })}
        {text("minor", "Minor", { placeholder: "4" })}
        {text("arch", "Arch", {
          placeholder: "x86_64",
          list: "explorer-arches",
          hint:
            kind === "capability"
              ? "Not matched: virt-v2v searches capabilities without an arch. Used to resolve the dependencies (the kernel with its own arch)."
              : "The kernel's arch for kernels (i686 on 32-bit RHEL), the guest's (i386 or x86_64) for everything else. No aliasing.",
        })}
      </div>
      <datalist id="explorer-os">{OS.map((v) => <option key={v} value={v} />)}</datalist>
      <datalist id="explorer-distros">{DISTROS.map((v) => <option key={v} value={v} />)}</datalist>
      <datalist id="explorer-arches">{ARCHES.map((v) => <option key={v} value={v} />)}</datalist>
      <datalist id="explorer-names-app">{names.app.map((v) => <option key={v} value={v} />)}</datalist>
      <datalist id="explorer-names-capability">{names.capability.map((v) => <option key={v} value={v} />)}</datalist>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" pending={pending} pendingLabel="Finding the winner…">
          <SearchIcon />
          Find the winner
        </Button>
        <p className="text-[0.8125rem] text-fg-muted">Blank fields are absent, as when libguestfs cannot tell: only elements without that attribute can match.</p>
      </div>
    </form>
  );
}
