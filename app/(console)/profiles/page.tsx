import type { Metadata } from "next";
import Link from "next/link";
import { layerHref, ordinal } from "@/components/explorer/element-attrs";
import { profileRows, type ProfileRow } from "@/components/explorer/stack-overview";
import { CopyButton } from "@/components/software/copy-button";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { ProfilesIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { getStack, stackFiles } from "@/server/config/get-stack";
import { db } from "@/server/db/client";
import { pageActor } from "@/server/http/page-guard";
import { formatProfileList } from "@/server/v2v/profile";

export const metadata: Metadata = { title: "Profiles" };

function Missing({ what }: { what: string }) {
  return <span className="text-fg-subtle italic">{what}</span>;
}

function Status({ row }: { row: ProfileRow }) {
  if (row.status === "used") return <Badge tone="success" dot>used by -p {row.item.name}</Badge>;
  if (row.status === "shadowed") return <Badge tone="warning">shadowed by {row.shadowedBy}</Badge>;
  if (row.status === "duplicate") return <Badge tone="warning" title={`Multiple profiles defined with name ${row.item.name}. Which profile is used is undefined.`}>duplicate in {row.shadowedBy}</Badge>;
  return <Badge tone="danger">no name</Badge>;
}

export default async function Page() {
  await pageActor("config:read");
  const stack = await getStack(db());
  const rows = profileRows(stack.map((s) => ({ layerId: s.layerId, layerName: s.name, items: s.config.profiles })));
  const listing = formatProfileList(stackFiles(stack));
  const header = <PageHeader title="Profiles" description="Target profiles: the output method, storage, disk format and allocation, and network mappings a conversion uses (virt-v2v's -p). The whole stack in search order: the first layer defining a name wins." />;

  if (rows.length === 0) {
    return (
      <div className="space-y-6">
        {header}
        <EmptyState
          icon={<ProfilesIcon />}
          title="No profiles yet"
          description={<>Profiles come from your configuration layers: import the virt-v2v.conf you already have, or add them on a layer&apos;s page, and pick one when you start a conversion.</>}
          action={<Link href="/configuration" className="text-sm font-medium text-accent-fg hover:underline">Open the configuration</Link>}
        />
      </div>
    );
  }

  const used = rows.filter((r) => r.status === "used").length;
  return (
    <div className="space-y-6">
      {header}
      <Card>
        <CardHeader title={`${rows.length} ${rows.length === 1 ? "profile" : "profiles"} in ${stack.length} ${stack.length === 1 ? "layer" : "layers"}`} description={used === rows.length ? "Each can be selected with -p." : `${used} can be selected; the others are shadowed by a profile of the same name searched earlier.`} />
        <Table framed={false} caption="Profiles in search order">
          <THead>
            <TR>
              <TH>Name</TH>
              <TH>Layer</TH>
              <TH>Method</TH>
              <TH>Storage</TH>
              <TH>Format</TH>
              <TH>Allocation</TH>
              <TH>Network mappings</TH>
              <TH>Status</TH>
            </TR>
          </THead>
          <TBody>
            {rows.map((r) => {
              const p = r.item;
              return (
                <TR key={`${r.layerId}-${r.index}`} interactive className={cn("align-top", r.status !== "used" && "text-fg-muted")} data-testid="profile-row">
                  <TD className="align-top">
                    <Link href={layerHref(r.layerId, "profiles")} className={cn("font-mono font-medium hover:underline", r.status === "used" ? "text-accent-fg" : "text-fg-muted line-through decoration-warning-solid/60")}>
                      {p.name ?? "(unnamed)"}
                    </Link>
                  </TD>
                  <TD className="align-top">
                    <Link href={layerHref(r.layerId, "profiles")} className="hover:underline">{r.layerName}</Link> <span className="text-xs text-fg-subtle">{ordinal(r.layerPosition)}</span>
                  </TD>
                  <TD className="align-top">{p.method ?? <Missing what="none" />}</TD>
                  <TD className="align-top font-mono text-[0.8125rem]">{p.storage?.location ?? <Missing what="none" />}</TD>
                  <TD className="align-top">{p.storage?.format ?? <Missing what="as source" />}</TD>
                  <TD className="align-top">{p.storage?.allocation ?? <Missing what="as source" />}</TD>
                  <TD className="align-top">
                    {p.networks.length ? (
                      <ul className="space-y-0.5 font-mono text-[0.8125rem]">
                        {p.networks.map((n, i) => (
                          <li key={i}>
                            {n.type === "default" ? <Badge tone="accent" className="mr-1 font-sans">default</Badge> : <>{n.type ?? "?"} {n.name ?? "?"} </>}→ {n.target ? `${n.target.type ?? "?"} ${n.target.name ?? "?"}` : "nothing"}
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <Missing what="none" />
                    )}
                  </TD>
                  <TD className="align-top">
                    <div className="flex flex-col items-start gap-1">
                      <Status row={r} />
                      {r.problems.map((m) => (
                        <span key={m} className="text-xs text-danger-fg">{m}</span>
                      ))}
                    </div>
                  </TD>
                </TR>
              );
            })}
          </TBody>
        </Table>
      </Card>
      <Card>
        <CardHeader title={<>virt-v2v <code className="font-mono">--list-profiles</code></>} description="The same list as virt-v2v prints it for this stack: every name in search order, duplicates included." actions={<CopyButton value={listing} label="Copy the --list-profiles output" />} />
        <CardBody>
          <pre className="overflow-x-auto rounded-md border border-line bg-surface-subtle px-3 py-2 font-mono text-[0.8125rem] text-fg" data-testid="list-profiles">{listing}</pre>
        </CardBody>
      </Card>
    </div>
  );
}
