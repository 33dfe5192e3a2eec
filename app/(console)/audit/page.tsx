import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { buttonClassName } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { AuditIcon, DownloadIcon } from "@/components/ui/icons";
import { Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Select } from "@/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { listAudit, listAuditActions, ZAuditFilter } from "@/server/audit/list-audit";
import { db } from "@/server/db/client";
import { pageActor } from "@/server/http/page-guard";

export const metadata: Metadata = { title: "Audit log" };

const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

function Changes({ before, after }: { before: unknown; after: unknown }) {
  if (before == null && after == null) return <span className="text-fg-subtle">—</span>;
  return (
    <details className="max-w-md">
      <summary className="cursor-pointer text-accent-fg">{before != null && after != null ? "before → after" : after != null ? "after" : "before"}</summary>
      <div className="mt-2 grid gap-2">
        {before != null ? <pre className="overflow-x-auto rounded bg-surface-subtle p-2 font-mono text-xs">{JSON.stringify(before, null, 2)}</pre> : null}
        {after != null ? <pre className="overflow-x-auto rounded bg-surface-subtle p-2 font-mono text-xs">{JSON.stringify(after, null, 2)}</pre> : null}
      </div>
    </details>
  );
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await pageActor("audit:read");
  const raw = await searchParams;
  const pick = (k: string) => (typeof raw[k] === "string" && raw[k] !== "" ? (raw[k] as string) : undefined);
  const parsed = ZAuditFilter.safeParse({ actor: pick("actor"), action: pick("action"), target: pick("target"), before: pick("before"), from: pick("from"), to: pick("to") });
  const filter = parsed.success ? parsed.data : ZAuditFilter.parse({});
  const [{ rows, next }, actions] = await Promise.all([listAudit(db(), filter), listAuditActions(db())]);
  const filtered = Boolean(filter.actor || filter.action || filter.target || filter.from || filter.to);
  const kept = Object.fromEntries((["actor", "action", "target", "from", "to"] as const).flatMap((k) => (filter[k] ? [[k, filter[k]]] : [])));
  const nextHref = next ? `/audit?${new URLSearchParams({ ...kept, before: next })}` : null;
  const today = new Date().toISOString().slice(0, 10);
  const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);

  return (
    <div className="space-y-6">
      <PageHeader title="Audit log" description="Every change made in the console, newest first: who, what, which target, before and after, when and from where. Records cannot be changed or deleted." />
      <Card>
        <form method="get" aria-label="Filter audit records" className="grid gap-4 px-4 py-4 sm:grid-cols-3 lg:grid-cols-[1fr_1fr_1fr_0.8fr_0.8fr_auto] lg:items-end sm:px-5">
          <Field id="actor" label="Actor">
            <Input name="actor" defaultValue={filter.actor ?? ""} placeholder="part of an email" />
          </Field>
          <Field id="action" label="Action">
            <Select name="action" defaultValue={filter.action ?? ""}>
              <option value="">Any action</option>
              {actions.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </Select>
          </Field>
          <Field id="target" label="Target">
            <Input name="target" defaultValue={filter.target ?? ""} placeholder="type or type:id" />
          </Field>
          <Field id="from" label="From (UTC)">
            <Input type="date" name="from" defaultValue={filter.from ?? ""} />
          </Field>
          <Field id="to" label="To (UTC)">
            <Input type="date" name="to" defaultValue={filter.to ?? ""} />
          </Field>
          <div className="flex gap-2">
            <button type="submit" className={buttonClassName({ variant: "primary" })}>
              Filter
            </button>
            {filtered ? (
              <Link href="/audit" className={buttonClassName({ variant: "ghost" })}>
                Clear
              </Link>
            ) : null}
          </div>
        </form>
      </Card>
      <Card>
        {/* A plain GET to the route handler: the browser downloads the attachment it answers. */}
        <form method="get" action="/api/audit/export" aria-label="Export the audit log" className="grid gap-4 px-4 py-4 sm:grid-cols-[0.8fr_0.8fr_0.6fr_auto] sm:items-end sm:px-5">
          <Field id="export-from" label="Export from (UTC)">
            <Input type="date" name="from" required defaultValue={filter.from ?? monthAgo} />
          </Field>
          <Field id="export-to" label="to (UTC)">
            <Input type="date" name="to" required defaultValue={filter.to ?? today} />
          </Field>
          <Field id="export-format" label="Format">
            <Select name="format" defaultValue="csv">
              <option value="csv">CSV</option>
              <option value="json">JSON</option>
            </Select>
          </Field>
          <button type="submit" className={buttonClassName({ variant: "secondary" })}>
            <DownloadIcon /> Export
          </button>
        </form>
      </Card>
      {rows.length === 0 ? (
        <EmptyState icon={<AuditIcon />} title={filtered ? "No audit records match these filters." : "No audit records yet"} description={filtered ? "Loosen a filter or clear them." : "Changes made in the console are recorded here as they happen."} />
      ) : (
        <Table caption="Audit records, newest first">
          <THead>
            <TR>
              <TH>When (UTC)</TH>
              <TH>Actor</TH>
              <TH>Action</TH>
              <TH>Target</TH>
              <TH>Changes</TH>
              <TH>From</TH>
            </TR>
          </THead>
          <TBody>
            {rows.map((r) => (
              <TR key={r.id}>
                <TD>{when.format(r.at)}</TD>
                <TD>{r.actorEmail}</TD>
                <TD>
                  <Badge tone="info">{r.action}</Badge>
                </TD>
                <TD wrap>
                  <span className="text-fg-muted">{r.targetType}</span>{" "}
                  {r.link ? (
                    <Link href={r.link.href} className="font-medium text-accent-fg hover:underline" data-audit-link={r.targetType}>
                      {r.link.label}
                    </Link>
                  ) : (
                    (describeTarget(r.after ?? r.before) ?? <span className="font-mono text-xs">{r.targetId}</span>)
                  )}
                </TD>
                <TD wrap>
                  <Changes before={r.before} after={r.after} />
                </TD>
                <TD className="font-mono text-xs">{r.ip ?? "—"}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      {nextHref ? (
        <div className="flex justify-end">
          <Link href={nextHref} className={buttonClassName({ variant: "secondary" })}>
            Older records
          </Link>
        </div>
      ) : null}
    </div>
  );
}

function describeTarget(state: unknown): string | null {
  if (state && typeof state === "object" && "email" in state && typeof (state as { email: unknown }).email === "string") return (state as { email: string }).email;
  return null;
}
