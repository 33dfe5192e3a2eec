import type { Metadata } from "next";
import Link from "next/link";
import { layerHref, ordinal } from "@/components/explorer/element-attrs";
import { networkRows, profileRows, type NetworkRow } from "@/components/explorer/stack-overview";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { NetworksIcon } from "@/components/ui/icons";
import { Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Select } from "@/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { getStack, stackFiles, type StackEntry } from "@/server/config/get-stack";
import { db } from "@/server/db/client";
import { pageActor } from "@/server/http/page-guard";
import { createNetworkContext, findProfile, mapNetwork, V2vError, type NetworkMappingResult } from "@/server/v2v/index";

export const metadata: Metadata = { title: "Networks" };

type Params = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() ?? "";

function Side({ type, name }: { type: string | undefined; name: string | undefined }) {
  return (
    <span className="font-mono text-[0.8125rem]">
      <span className="text-fg-muted">{type ?? "?"}</span> <span className="font-medium">{name ?? "?"}</span>
    </span>
  );
}

function Status({ row }: { row: NetworkRow }) {
  if (row.status === "used") return row.isDefault ? <Badge tone="accent" dot>the default for unmapped NICs</Badge> : <Badge tone="success" dot>used</Badge>;
  if (row.status === "shadowed") return <Badge tone="warning">shadowed by {row.shadowedBy}</Badge>;
  return <Badge tone={row.status === "invalid" ? "danger" : "neutral"}>{row.status}</Badge>;
}

type Mapped = { result: NetworkMappingResult; profile?: string } | { error: string };

function mapNic(stack: StackEntry[], type: string, name: string, profileName: string): Mapped {
  const files = stackFiles(stack);
  try {
    const profile = profileName ? findProfile(files, profileName).profile : undefined;
    return { result: mapNetwork(createNetworkContext(files, { profile }), { type, name }), profile: profileName || undefined };
  } catch (e) {
    if (e instanceof V2vError) return { error: e.message };
    throw e;
  }
}

function ruleText(r: NetworkMappingResult, profile: string | undefined): string {
  switch (r.rule) {
    case "profile":
      return `The profile ${profile}'s own mapping for this NIC.`;
    case "config":
      return `A mapping for this NIC in ${r.file}.`;
    case "default":
      return r.defaultSource === "profile" ? `No mapping for this NIC: the profile ${profile}'s default.` : `No mapping for this NIC: the default mapping from ${r.file}.`;
    case "invalid":
      return `The mapping in ${r.file ?? "the profile"} has a target without a type or name: the NIC is left unchanged.`;
    case "unmapped":
      return "Nothing applies and there is no default: the NIC is left unchanged.";
    default:
      return "A command-line mapping.";
  }
}

function MapNic({ stack, params, profiles }: { stack: StackEntry[]; params: { type: string; name: string; profile: string }; profiles: string[] }) {
  const asked = params.name !== "";
  const mapped = asked ? mapNic(stack, params.type || "bridge", params.name, params.profile) : undefined;
  return (
    <Card aria-labelledby="map-nic-title">
      <CardHeader title={<span id="map-nic-title">Map a NIC</span>} description="Where a source NIC goes, as virt-v2v decides it: the selected profile's mappings first, then each layer's in search order, then the default." />
      <CardBody className="space-y-4">
        <form method="get" action="/networks" aria-label="Map a NIC" className="grid items-end gap-4 sm:grid-cols-[9rem_minmax(0,1fr)_minmax(0,1fr)_auto]">
          <Field id="nic-type" label="Source type">
            <Select name="nicType" defaultValue={params.type || "bridge"}>
              <option value="bridge">bridge</option>
              <option value="network">network</option>
            </Select>
          </Field>
          <Field id="nic-name" label="Source name">
            <Input name="nicName" defaultValue={params.name} placeholder="xenbr1" required className="font-mono" autoComplete="off" />
          </Field>
          <Field id="nic-profile" label="Profile" optional>
            <Select name="profile" defaultValue={params.profile}>
              <option value="">none</option>
              {profiles.map((p) => (
                <option key={p} value={p}>{p}</option>
              ))}
            </Select>
          </Field>
          <Button type="submit" variant="primary">Map it</Button>
        </form>
        {mapped && "error" in mapped ? <Alert tone="danger" title="virt-v2v would stop">{mapped.error}</Alert> : null}
        {mapped && "result" in mapped ? (
          <div className={cn("rounded-md border px-4 py-3", mapped.result.changed ? "border-success-line bg-success-soft" : "border-warning-line bg-warning-soft")} data-testid="nic-result">
            <p className="flex flex-wrap items-center gap-2 text-base text-fg">
              <Side type={mapped.result.from.type} name={mapped.result.from.name} />
              <span aria-hidden="true">→</span>
              <span className="sr-only">goes to</span>
              <Side type={mapped.result.to.type} name={mapped.result.to.name} />
              {mapped.result.changed ? null : <Badge tone="warning">unchanged</Badge>}
            </p>
            <p className="mt-1 text-sm text-fg-muted">{ruleText(mapped.result, mapped.profile)}</p>
            {mapped.result.warnings.map((w) => (
              <p key={w} className="mt-1 text-sm text-warning-fg">virt-v2v warns: {w}</p>
            ))}
          </div>
        ) : null}
      </CardBody>
    </Card>
  );
}

export default async function Page({ searchParams }: { searchParams: Promise<Params> }) {
  await pageActor("config:read");
  const sp = await searchParams;
  const stack = await getStack(db());
  const rows = networkRows(stack.map((s) => ({ layerId: s.layerId, layerName: s.name, items: s.config.networks })));
  const profiles = profileRows(stack.map((s) => ({ layerId: s.layerId, layerName: s.name, items: s.config.profiles }))).flatMap((r) => (r.status === "used" && r.item.name ? [r.item.name] : []));
  const header = <PageHeader title="Networks" description="How each source NIC is mapped: Xen bridges and ESX port groups to libvirt networks or bridges. The whole stack in search order: the first mapping for a NIC wins, and the first default catches every NIC nothing else maps." />;
  const tool = <MapNic stack={stack} params={{ type: one(sp.nicType), name: one(sp.nicName), profile: one(sp.profile) }} profiles={profiles} />;

  if (rows.length === 0) {
    return (
      <div className="space-y-6">
        {header}
        <EmptyState icon={<NetworksIcon />} title="No network mappings yet" description={<>Mappings such as bridge xenbr1 to network default, or a default for every unmapped NIC, appear here with the layer they come from. Add them on a layer&apos;s page, or import your virt-v2v.conf.</>} />
        {tool}
      </div>
    );
  }

  return (
    <div className="space-y-6">
      {header}
      <Card>
        <CardHeader title={`${rows.length} ${rows.length === 1 ? "mapping" : "mappings"} in ${stack.length} ${stack.length === 1 ? "layer" : "layers"}`} description="Profiles carry their own mappings too (see Profiles); they apply only when that profile is selected, before these." />
        <Table framed={false} caption="Network mappings in search order">
          <THead>
            <TR>
              <TH>Source</TH>
              <TH className="w-6" aria-label="maps to" />
              <TH>Target</TH>
              <TH>Layer</TH>
              <TH>Status</TH>
            </TR>
          </THead>
          <TBody>
            {rows.map((r) => (
              <TR key={`${r.layerId}-${r.index}`} interactive className={cn(r.isDefault && r.status === "used" && "bg-accent-soft", r.status !== "used" && "text-fg-muted")} data-testid="network-row">
                <TD>{r.isDefault ? <span className="font-medium">default <span className="text-xs font-normal text-fg-muted">(every unmapped NIC)</span></span> : <Side type={r.item.type} name={r.item.name} />}</TD>
                <TD aria-hidden="true" className="text-fg-subtle">→</TD>
                <TD>{r.item.target ? <Side type={r.item.target.type} name={r.item.target.name} /> : <span className="text-fg-subtle italic">nothing</span>}</TD>
                <TD>
                  <Link href={layerHref(r.layerId, "networks")} className="text-accent-fg hover:underline">{r.layerName}</Link> <span className="text-xs text-fg-subtle">{ordinal(r.layerPosition)}</span>
                </TD>
                <TD>
                  <div className="flex flex-wrap items-center gap-2">
                    <Status row={r} />
                    {r.note ? <span className="text-xs text-fg-muted">{r.note}</span> : null}
                  </div>
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </Card>
      {tool}
    </div>
  );
}
