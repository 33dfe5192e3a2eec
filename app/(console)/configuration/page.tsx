import type { Metadata } from "next";
import Link from "next/link";
import { EditableRow } from "@/components/config/disclosure";
import { Flash } from "@/components/config/flash";
import { Position } from "@/components/config/section";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Code } from "@/components/ui/code";
import { DownloadIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { can } from "@/server/auth/roles";
import { listLayers, type LayerSummary } from "@/server/config/list-layers";
import { db } from "@/server/db/client";
import { pageActor } from "@/server/http/page-guard";
import { layerMissingFiles } from "@/server/software/layer-missing-files";
import { listRepositories } from "@/server/software/list-repositories";
import { CreateLayerForm } from "./create-layer-form";
import { LayerSettingsForm } from "./layer-settings-form";
import { ReorderButtons } from "./reorder-buttons";

export const metadata: Metadata = { title: "Configuration" };

const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

function Counts({ c }: { c: LayerSummary["counts"] }) {
  const parts = [
    [c.profiles, "profile", "profiles"],
    [c.networks, "network", "networks"],
    [c.capabilities, "capability", "capabilities"],
    [c.apps, "app", "apps"],
  ] as const;
  return (
    <span className="text-[0.8125rem] text-fg-muted">
      {parts.map(([n, one, many], i) => (
        <span key={one}>
          {i ? " · " : null}
          <span className={cn("tabular-nums", n ? "font-medium text-fg" : undefined)}>{n}</span> {n === 1 ? one : many}
        </span>
      ))}
    </span>
  );
}

export default async function Page() {
  const actor = await pageActor("config:read");
  const admin = can(actor.role, "config:write");
  const [layers, repositories] = await Promise.all([listLayers(db()), listRepositories(db())]);
  const missing = await Promise.all(layers.map((l) => layerMissingFiles(db(), l.id)));
  const repoName = new Map(repositories.map((r) => [r.id, r.name]));
  const teamOrder = layers.filter((l) => l.kind === "team").map((l) => l.id);
  const options = repositories.map((r) => ({ id: r.id, name: r.name }));

  return (
    <div className="space-y-6">
      <PageHeader
        title="Configuration"
        description={
          <>
            What virt-v2v keeps in <Code>virt-v2v.conf</Code>, as an ordered stack of layers. Layers are searched first to last, like giving virt-v2v one <Code>-f</Code> per file: for each profile, network, capability and app, the first layer with a match wins. The Vendor layer ships with Ferry, is read-only and is always searched last.
          </>
        }
        actions={
          <ButtonLink href="/configuration/export">
            <DownloadIcon /> Export all
          </ButtonLink>
        }
      />
      <div className={cn("grid items-start gap-6", admin && "2xl:grid-cols-[minmax(0,1fr)_22rem]")}>
        <Card>
          <CardHeader title={`${layers.length} ${layers.length === 1 ? "layer" : "layers"}, in search order`} description="Within a layer, elements are tried in document order too: open a layer to see and change them." />
          <Flash>
            <Table framed={false} caption="Configuration layers, first searched first">
              <THead>
                <TR>
                  <TH className="w-12">Order</TH>
                  <TH>Layer</TH>
                  <TH>Revision</TH>
                  <TH>Last change (UTC)</TH>
                  <TH>Elements</TH>
                  <TH>Repository</TH>
                  <TH>Files</TH>
                  {admin ? <TH className="text-right"><span className="sr-only">Actions</span></TH> : null}
                </TR>
              </THead>
              <TBody>
                {layers.map((l, i) => {
                  const vendor = l.kind === "vendor";
                  const teamIndex = teamOrder.indexOf(l.id);
                  return (
                    <EditableRow
                      key={l.id}
                      colSpan={admin ? 8 : 7}
                      label={`layer ${l.name}`}
                      cells={
                        <>
                          <TD><Position n={i + 1} /></TD>
                          <TD wrap>
                            <span className="flex items-center gap-2">
                              <Link href={`/configuration/${l.id}`} className="font-medium text-accent-fg hover:underline">
                                {l.name}
                              </Link>
                              {vendor ? <Badge tone="neutral">Vendor · read-only</Badge> : <Badge tone="accent">Team</Badge>}
                            </span>
                            {l.description ? <span className="mt-0.5 block text-xs text-fg-muted">{l.description}</span> : null}
                          </TD>
                          <TD className="tabular-nums">{l.headRevision}</TD>
                          <TD>
                            <span className="block">{l.lastChangedBy || <span className="text-fg-subtle">system</span>}</span>
                            <span className="block text-xs text-fg-muted">{when.format(l.lastChangedAt)}</span>
                          </TD>
                          <TD><Counts c={l.counts} /></TD>
                          <TD>{l.repositoryId ? <Link href={`/software?repository=${l.repositoryId}`} className="hover:underline">{repoName.get(l.repositoryId)}</Link> : <span className="text-fg-subtle">none</span>}</TD>
                          <TD>
                            {missing[i]!.length ? (
                              <Badge tone="danger" dot title={missing[i]!.join("\n")}>
                                {missing[i]!.length} missing
                              </Badge>
                            ) : l.counts.apps ? (
                              <Badge tone="success" dot>all present</Badge>
                            ) : (
                              <span className="text-fg-subtle">no apps</span>
                            )}
                          </TD>
                        </>
                      }
                      actions={admin && !vendor ? <ReorderButtons order={teamOrder} index={teamIndex} name={l.name} /> : undefined}
                      form={
                        admin ? (
                          <LayerSettingsForm layerId={l.id} name={l.name} description={l.description} repositoryId={l.repositoryId} vendor={vendor} repositories={options} />
                        ) : undefined
                      }
                    />
                  );
                })}
              </TBody>
            </Table>
          </Flash>
        </Card>
        {admin ? (
          <Card className="max-w-xl 2xl:max-w-none">
            <CardHeader title="New layer" description="Searched after the other team layers and before Vendor; reorder it with the arrows." />
            <CreateLayerForm repositories={options} />
          </Card>
        ) : null}
      </div>
    </div>
  );
}
