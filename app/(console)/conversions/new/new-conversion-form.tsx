"use client";
// The new-conversion form: source (-i libvirtxml with an uploaded or pasted domain XML, or
// -i libvirt -ic URI GUEST), output (-o/-oc/-os/-of/-oa/-on), profile (-p), -n/-b mappings,
// then Dry run (the default) or Start. The inactive source's fields sit in a disabled
// fieldset, so they are kept while switching but never sent.
import { useRouter } from "next/navigation";
import { useEffect, useState, type ChangeEvent } from "react";
import { ActionMessage } from "@/components/config/action-message";
import { useFormAction } from "@/components/config/use-form-action";
import { MappingRows } from "@/components/conversions/mapping-rows";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardFooter, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Field } from "@/components/ui/field";
import { CloseIcon, PlusIcon } from "@/components/ui/icons";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { createConversionAction, type CreateConversionState } from "../actions";

export type ProfileOption = { name: string; layer: string; method: string | undefined; storage: string | undefined };

type Errors = Record<string, string[] | undefined> | undefined;

const STORAGE_HINT = {
  libvirt: "A storage pool on the output host, e.g. default.",
  local: "An existing directory on the agent host; disks and NAME.xml are written there.",
  rhev: "A mounted export domain (a directory) or host:/path.",
} as const;

function SourceSwitch({ method, onChange }: { method: string; onChange: (m: "libvirtxml" | "libvirt") => void }) {
  const option = (value: "libvirtxml" | "libvirt", label: string, hint: string) => (
    <label className={cn("flex flex-1 cursor-pointer gap-3 rounded-md border px-3.5 py-3 text-sm", method === value ? "border-accent bg-accent-soft" : "border-line-strong bg-surface hover:bg-surface-muted")}>
      <input type="radio" name="source.method" value={value} checked={method === value} onChange={() => onChange(value)} className="mt-0.5" />
      <span>
        <span className="block font-medium text-fg">{label}</span>
        <span className="block text-fg-muted">{hint}</span>
      </span>
    </label>
  );
  return (
    <fieldset className="space-y-2">
      <legend className="mb-2 text-sm font-medium text-fg">Source</legend>
      <div className="flex flex-col gap-2 sm:flex-row">
        {option("libvirtxml", "Domain XML", "-i libvirtxml: a virsh dumpxml file, with the disks reachable from the agent")}
        {option("libvirt", "Libvirt host", "-i libvirt -ic URI: the guest read from a Xen, ESX or KVM host")}
      </div>
    </fieldset>
  );
}

function DiskOverrides({ errors }: { errors: Errors }) {
  const [rows, setRows] = useState<number[]>([]);
  return (
    <div className="space-y-2">
      <p className="text-sm font-medium text-fg">Disk paths on the agent host <span className="font-normal text-fg-subtle">Optional</span></p>
      <p className="text-[0.8125rem] text-fg-muted">When a disk is not at the path the XML gives, say where the agent finds it.</p>
      {rows.map((i, n) => (
        <div key={i} className="grid gap-2 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
          <Field id={`disk-from-${i}`} label={`Source path ${n + 1}`}>
            <Input name={`source.disks.${i}.from`} placeholder="/dev/HostVG/guest" className="font-mono" />
          </Field>
          <Field id={`disk-to-${i}`} label={`Path on the agent ${n + 1}`}>
            <Input name={`source.disks.${i}.to`} placeholder="/srv/images/guest.img" className="font-mono" />
          </Field>
          <Button size="icon" variant="ghost" aria-label={`Remove disk path ${n + 1}`} onClick={() => setRows((r) => r.filter((x) => x !== i))}>
            <CloseIcon />
          </Button>
        </div>
      ))}
      {errors?.["source.disks"]?.length ? (
        <div id="source-disks-error" className="text-[0.8125rem] font-medium text-danger-fg">
          {errors["source.disks"]!.map((m) => <p key={m}>{m}</p>)}
        </div>
      ) : null}
      <Button size="sm" onClick={() => setRows((r) => [...r, (r.at(-1) ?? -1) + 1])}>
        <PlusIcon /> Add disk path
      </Button>
    </div>
  );
}

function XmlSource({ errors }: { errors: Errors }) {
  const [xml, setXml] = useState("");
  const [fileName, setFileName] = useState("");
  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    setFileName(file.name);
    setXml(await file.text());
  };
  return (
    <div className="space-y-4">
      <Field id="source-file" label="Domain XML file" optional hint="Read in the browser into the text below; you can edit it there.">
        <Input type="file" accept=".xml,text/xml,application/xml" onChange={(e) => void onFile(e)} />
      </Field>
      <input type="hidden" name="source.fileName" value={fileName} />
      <Field id="source-xml" label="Domain XML" required error={errors?.["source.xml"]} hint={fileName ? `From ${fileName}.` : "Or paste the output of virsh dumpxml GUEST."}>
        <Textarea name="source.xml" mono rows={10} value={xml} onChange={(e) => setXml(e.target.value)} placeholder="<domain type='xen'>…</domain>" spellCheck={false} />
      </Field>
      <DiskOverrides errors={errors} />
    </div>
  );
}

function LibvirtSource({ errors }: { errors: Errors }) {
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <Field id="source-uri" label="Source URI (-ic)" required error={errors?.["source.uri"]} hint="xen+ssh://root@xen.example/, qemu+ssh://root@kvm.example/system, qemu:///system (ESX: upload the domain XML instead; its disks are read over https)">
        <Input name="source.uri" autoComplete="off" placeholder="xen+ssh://root@xen.example/" className="font-mono" />
      </Field>
      <Field id="source-guest" label="Guest" required error={errors?.["source.guest"]} hint="Its libvirt name on that host; it must be shut off.">
        <Input name="source.guest" autoComplete="off" />
      </Field>
    </div>
  );
}

function OutputFields({ errors, profiles }: { errors: Errors; profiles: ProfileOption[] }) {
  const [method, setMethod] = useState<"libvirt" | "local" | "rhev">("libvirt");
  const [profile, setProfile] = useState("");
  const chosen = profiles.find((p) => p.name === profile);
  return (
    <div className="space-y-4">
      <Field id="profile" label="Profile (-p)" optional error={errors?.profile} hint={chosen ? `From ${chosen.layer}: -o ${chosen.method ?? "?"} -os ${chosen.storage ?? "?"}; it replaces the output method and storage below.` : profiles.length ? "A target profile from the configuration: its method, storage, format and network mappings." : "No profiles in the configuration yet."}>
        <Select name="profile" value={profile} onChange={(e) => setProfile(e.target.value)}>
          <option value="">None</option>
          {profiles.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name} ({p.layer})
            </option>
          ))}
        </Select>
      </Field>
      <div className="grid gap-4 sm:grid-cols-3">
        <Field id="output-method" label="Output (-o)" error={errors?.["output.method"]}>
          <Select name="output.method" value={method} onChange={(e) => setMethod(e.target.value as typeof method)}>
            <option value="libvirt">libvirt</option>
            <option value="local">local</option>
            <option value="rhev">rhev</option>
          </Select>
        </Field>
        <Field id="output-storage" label="Storage (-os)" optional={Boolean(profile)} required={!profile} error={errors?.["output.storage"]} hint={STORAGE_HINT[method]} className="sm:col-span-2">
          <Input name="output.storage" autoComplete="off" className="font-mono" placeholder={method === "libvirt" ? "default" : method === "local" ? "/var/tmp/converted" : "/mnt/export"} />
        </Field>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="output-uri" label="Output URI (-oc)" optional error={errors?.["output.uri"]} hint={method === "libvirt" ? "Default qemu:///system." : "Only for -o libvirt."}>
          <Input name="output.uri" autoComplete="off" className="font-mono" placeholder="qemu:///system" disabled={method !== "libvirt"} />
        </Field>
        <Field id="output-name" label="Output name (-on)" optional error={errors?.["output.name"]} hint="Rename the guest on the target.">
          <Input name="output.name" autoComplete="off" />
        </Field>
        <Field id="output-format" label="Format (-of)" error={errors?.["output.format"]}>
          <Select name="output.format" defaultValue="">
            <option value="">Same as the source</option>
            <option value="raw">raw</option>
            <option value="qcow2">qcow2</option>
          </Select>
        </Field>
        <Field id="output-allocation" label="Allocation (-oa)" error={errors?.["output.allocation"]}>
          <Select name="output.allocation" defaultValue="">
            <option value="">Same as the source</option>
            <option value="sparse">sparse</option>
            <option value="preallocated">preallocated</option>
          </Select>
        </Field>
      </div>
    </div>
  );
}

export function NewConversionForm({ profiles }: { profiles: ProfileOption[] }) {
  const router = useRouter();
  const [state, onSubmit, pending] = useFormAction<CreateConversionState>(createConversionAction, { ok: false });
  const [method, setMethod] = useState<"libvirtxml" | "libvirt">("libvirtxml");
  const errors = state.fieldErrors;
  useEffect(() => {
    if (state.ok && state.id) router.push(`/conversions/${state.id}`);
  }, [state, router]);

  return (
    <form onSubmit={onSubmit} aria-label="New conversion" className="space-y-6">
      <ActionMessage state={state} />
      <Card>
        <CardHeader title="Source guest" />
        <CardBody className="space-y-4">
          <SourceSwitch method={method} onChange={setMethod} />
          {errors?.["source.method"] ? <p className="text-[0.8125rem] font-medium text-danger-fg">{errors["source.method"].join(" ")}</p> : null}
          <fieldset disabled={method !== "libvirtxml"} hidden={method !== "libvirtxml"}>
            <XmlSource errors={errors} />
          </fieldset>
          <fieldset disabled={method !== "libvirt"} hidden={method !== "libvirt"}>
            <LibvirtSource errors={errors} />
          </fieldset>
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Output" description="Where the converted guest goes. Blank format and allocation keep the source's." />
        <CardBody>
          <OutputFields errors={errors} profiles={profiles} />
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Network mappings" description="virt-v2v's -n (libvirt networks) and -b (bridges): in:out maps one source, :out is the default for that type, a plain name sends every unmapped NIC there. They are tried before the configuration's mappings." />
        <CardBody className="grid gap-6 sm:grid-cols-2">
          <MappingRows name="network" label="Network mapping" placeholder="default:ovirtmgmt" errors={errors} />
          <MappingRows name="bridge" label="Bridge mapping" placeholder="xenbr0:br0" errors={errors} />
        </CardBody>
        <CardFooter>
          <p className="mr-auto text-[0.8125rem] text-fg-muted">A dry run plans and stops: nothing is copied until you start it.</p>
          <Button type="submit" name="dryRun" value="true" variant="primary" pending={pending} pendingLabel="Queuing…">
            Dry run
          </Button>
          <Button type="submit" name="dryRun" value="false" variant="secondary" disabled={pending}>
            Start conversion
          </Button>
        </CardFooter>
      </Card>
    </form>
  );
}
