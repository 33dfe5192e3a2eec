import type { Metadata } from "next";
import Link from "next/link";
import { AutoRefresh } from "@/components/conversions/auto-refresh";
import { formatWhen } from "@/components/conversions/format";
import { ProgressLine } from "@/components/conversions/progress-line";
import { DryRunBadge, StatusBadge } from "@/components/conversions/status-badge";
import { ButtonLink, buttonClassName } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { ConversionsIcon, PlusIcon } from "@/components/ui/icons";
import { Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { can } from "@/server/auth/roles";
import { listConversions, ZConversionFilter } from "@/server/conversions/list-conversions";
import { ACTIVE_STATUSES, CONVERSION_STATUSES, type ConversionStatus } from "@/server/conversions/status";
import { db } from "@/server/db/client";
import { pageActor } from "@/server/http/page-guard";

export const metadata: Metadata = { title: "Conversions" };

type Search = Record<string, string | string[] | undefined>;

function href(filter: { status?: string; guest?: string; page?: number }): string {
  const q = new URLSearchParams();
  if (filter.status) q.set("status", filter.status);
  if (filter.guest) q.set("guest", filter.guest);
  if (filter.page && filter.page > 1) q.set("page", String(filter.page));
  const s = q.toString();
  return s ? `/conversions?${s}` : "/conversions";
}

function StatusFilter({ current, counts, guest }: { current: string | undefined; counts: Partial<Record<ConversionStatus, number>>; guest: string | undefined }) {
  const total = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
  const chip = (label: string, value: string | undefined, n: number) => (
    <Link key={label} href={href({ status: value, guest })} aria-current={current === value ? "true" : undefined} className={cn("inline-flex items-center gap-1.5 rounded-full border px-2.5 py-1 text-[0.8125rem] transition-colors", current === value ? "border-accent bg-accent-soft text-accent-fg" : "border-line bg-surface text-fg-muted hover:bg-surface-muted hover:text-fg")}>
      {label} <span className="tabular-nums text-fg-subtle">{n}</span>
    </Link>
  );
  return (
    <nav aria-label="Filter by status" className="flex flex-wrap gap-2">
      {chip("All", undefined, total)}
      {CONVERSION_STATUSES.map((s) => chip(s, s, counts[s] ?? 0))}
    </nav>
  );
}

export default async function Page({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await pageActor("conversion:read");
  const raw = await searchParams;
  const pick = (k: string) => (typeof raw[k] === "string" && raw[k] !== "" ? (raw[k] as string) : undefined);
  const parsed = ZConversionFilter.safeParse({ status: pick("status"), guest: pick("guest"), page: pick("page") });
  const filter = parsed.success ? parsed.data : ZConversionFilter.parse({});
  const { items, total, page, pageSize, counts } = await listConversions(db(), filter);
  const status = filter.status?.join(",");
  const canStart = can(actor.role, "conversion:start");
  const newButton = canStart ? (
    <ButtonLink href="/conversions/new" variant="primary">
      <PlusIcon /> New conversion
    </ButtonLink>
  ) : null;
  const header = <PageHeader title="Conversions" description="Every conversion, running or finished: its guest, source, profile, agent, live log and result." actions={newButton} />;

  if (total === 0 && !status && !filter.guest) {
    return (
      <div className="space-y-6">
        {header}
        <EmptyState icon={<ConversionsIcon />} title="No conversions yet" description={<>Conversions you start here appear in this list, each with its plan, live log and progress and the exact configuration it used. Start with a dry run: it shows the plan before anything is copied.</>} action={newButton} />
      </div>
    );
  }

  const active = items.some((i) => (ACTIVE_STATUSES as readonly string[]).includes(i.status));
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <div className="space-y-6">
      <AutoRefresh active={active} />
      {header}
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <StatusFilter current={status} counts={counts} guest={filter.guest} />
        <form method="get" className="flex gap-2" role="search">
          {status ? <input type="hidden" name="status" value={status} /> : null}
          <Input name="guest" aria-label="Guest name contains" defaultValue={filter.guest ?? ""} placeholder="Guest name" className="w-48" />
          <button type="submit" className={buttonClassName({ size: "md" })}>Filter</button>
        </form>
      </div>
      {items.length === 0 ? (
        <EmptyState title="No conversions match" description="Try another status or guest name." action={<Link href="/conversions" className="text-sm font-medium text-accent-fg hover:underline">Show all</Link>} />
      ) : (
        <Table caption="Conversions, newest first">
          <THead>
            <TR>
              <TH numeric>#</TH>
              <TH>Guest</TH>
              <TH>Status</TH>
              <TH>Source → output</TH>
              <TH>Profile</TH>
              <TH>Agent</TH>
              <TH>Created</TH>
            </TR>
          </THead>
          <TBody>
            {items.map((c) => (
              <TR key={c.id} interactive>
                <TD numeric>
                  <Link href={`/conversions/${c.id}`} className="font-medium text-accent-fg hover:underline">#{c.number}</Link>
                </TD>
                <TD>
                  <Link href={`/conversions/${c.id}`} className="font-medium hover:underline">{c.guestName}</Link>
                </TD>
                <TD>
                  <div className="flex items-center gap-1.5">
                    <StatusBadge status={c.status} cancelRequested={c.cancelRequested} />
                    {c.dryRun ? <DryRunBadge /> : null}
                  </div>
                  {c.status === "running" ? <div className="mt-1.5"><ProgressLine progress={c.progress} compact /></div> : null}
                  {c.error && c.status === "failed" ? <p className="mt-1 max-w-64 truncate text-xs text-danger-fg" title={c.error}>{c.error}</p> : null}
                </TD>
                <TD className="text-[0.8125rem]">
                  <span className="font-mono">{c.source}</span> <span className="text-fg-subtle">→</span> <span className="font-mono">{c.output}</span>
                </TD>
                <TD>{c.profile ?? <span className="text-fg-subtle">none</span>}</TD>
                <TD>{c.agent ?? <span className="text-fg-subtle">{c.status === "queued" ? "waiting" : "none"}</span>}</TD>
                <TD className="text-[0.8125rem]">
                  <span className="block tabular-nums">{formatWhen(c.createdAt)}</span>
                  <span className="block text-fg-muted">by {c.createdByEmail}</span>
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      {pages > 1 ? (
        <nav aria-label="Pages" className="flex items-center justify-between text-sm text-fg-muted">
          <span>Page {page} of {pages} ({total} conversions)</span>
          <div className="flex gap-2">
            {page > 1 ? <Link className={buttonClassName({ size: "sm" })} href={href({ status, guest: filter.guest, page: page - 1 })}>Newer</Link> : null}
            {page < pages ? <Link className={buttonClassName({ size: "sm" })} href={href({ status, guest: filter.guest, page: page + 1 })}>Older</Link> : null}
          </div>
        </nav>
      ) : null}
    </div>
  );
}
