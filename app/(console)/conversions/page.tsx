import type { Metadata } from "next";
import Link from "next/link";
import { AutoRefresh } from "@/components/conversions/auto-refresh";
import { formatWhen } from "@/components/conversions/format";
import { ProgressLine } from "@/components/conversions/progress-line";
import { DryRunBadge, StatusBadge } from "@/components/conversions/status-badge";
import { formatDuration } from "@/components/dashboard/format";
import { ButtonLink, buttonClassName } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { ConversionsIcon, PlusIcon } from "@/components/ui/icons";
import { Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Select } from "@/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { can } from "@/server/auth/roles";
import { listHistoryChoices } from "@/server/conversions/history-choices";
import { listConversions, ZConversionFilter, type ConversionFilter } from "@/server/conversions/list-conversions";
import { ACTIVE_STATUSES, CONVERSION_STATUSES, type ConversionStatus } from "@/server/conversions/status";
import { db } from "@/server/db/client";
import { pageActor } from "@/server/http/page-guard";

export const metadata: Metadata = { title: "Conversions" };

type Search = Record<string, string | string[] | undefined>;
type Query = Partial<Record<"status" | "guest" | "user" | "profile" | "from" | "to" | "sort" | "dir" | "after" | "before", string>>;

const FILTER_KEYS = ["status", "guest", "user", "profile", "from", "to", "sort", "dir"] as const;

/** The filters as they stand (no cursor), so every link keeps them. */
function current(f: ConversionFilter): Query {
  const out: Query = {};
  if (f.status?.length) out.status = f.status.join(",");
  for (const k of ["guest", "user", "profile", "from", "to", "dir"] as const) if (f[k]) out[k] = f[k];
  if (f.sort !== "created") out.sort = f.sort;
  return out;
}

function href(q: Query): string {
  const s = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => Boolean(e[1]))).toString();
  return s ? `/conversions?${s}` : "/conversions";
}

function StatusFilter({ filter, counts }: { filter: ConversionFilter; counts: Partial<Record<ConversionStatus, number>> }) {
  const total = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
  const selected = filter.status?.join(",");
  const chip = (label: string, value: string | undefined, n: number) => (
    <Link key={label} href={href({ ...current(filter), status: value })} aria-current={selected === value ? "true" : undefined} className={cn("inline-flex items-center gap-1.5 rounded-full border px-2.5 py-1 text-[0.8125rem] transition-colors", selected === value ? "border-accent bg-accent-soft text-accent-fg" : "border-line bg-surface text-fg-muted hover:bg-surface-muted hover:text-fg")}>
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

function Filters({ filter, users, profiles }: { filter: ConversionFilter; users: string[]; profiles: string[] }) {
  const sortValue = `${filter.sort}:${filter.dir ?? (filter.sort === "created" ? "desc" : "asc")}`;
  return (
    <Card>
      <form method="get" role="search" aria-label="Filter conversions" className="grid gap-3 px-4 py-4 sm:grid-cols-3 lg:grid-cols-[1.4fr_1fr_1fr_0.8fr_0.8fr_1fr_auto] lg:items-end sm:px-5">
        {filter.status?.length ? <input type="hidden" name="status" value={filter.status.join(",")} /> : null}
        <Field id="guest" label="Guest name">
          <Input name="guest" defaultValue={filter.guest ?? ""} placeholder="contains…" />
        </Field>
        <Field id="user" label="Started by">
          <Select name="user" defaultValue={filter.user ?? ""}>
            <option value="">Anyone</option>
            {users.map((u) => <option key={u} value={u}>{u}</option>)}
          </Select>
        </Field>
        <Field id="profile" label="Profile">
          <Select name="profile" defaultValue={filter.profile ?? ""}>
            <option value="">Any profile</option>
            {profiles.map((p) => <option key={p} value={p}>{p}</option>)}
          </Select>
        </Field>
        <Field id="from" label="From (UTC)">
          <Input type="date" name="from" defaultValue={filter.from ?? ""} />
        </Field>
        <Field id="to" label="To (UTC)">
          <Input type="date" name="to" defaultValue={filter.to ?? ""} />
        </Field>
        <Field id="order" label="Order">
          <Select name="order" defaultValue={sortValue}>
            <option value="created:desc">Newest first</option>
            <option value="created:asc">Oldest first</option>
            <option value="guest:asc">Guest A → Z</option>
            <option value="guest:desc">Guest Z → A</option>
          </Select>
        </Field>
        <div className="flex gap-2">
          <button type="submit" className={buttonClassName({ variant: "primary" })}>Filter</button>
          <Link href="/conversions" className={buttonClassName({ variant: "ghost" })}>Clear</Link>
        </div>
      </form>
    </Card>
  );
}

/** The URL as typed or as the form sent it; anything invalid is dropped, not an error page. */
function readFilter(raw: Search): ConversionFilter {
  const pick = (k: string) => (typeof raw[k] === "string" && raw[k] !== "" ? (raw[k] as string) : undefined);
  const [sort, dir] = (pick("order") ?? "").split(":");
  const input: Record<string, string | undefined> = { after: pick("after"), before: pick("before") };
  for (const k of FILTER_KEYS) input[k] = pick(k);
  if (sort) input.sort = sort;
  if (dir) input.dir = dir;
  const parsed = ZConversionFilter.safeParse(input);
  if (parsed.success) return parsed.data;
  // Keep the fields that are valid on their own.
  const kept: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(input)) if (ZConversionFilter.safeParse({ [k]: v }).success) kept[k] = v;
  return ZConversionFilter.parse(kept);
}

export default async function Page({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await pageActor("conversion:read");
  const filter = readFilter(await searchParams);
  const [{ items, total, counts, next, prev }, choices] = await Promise.all([listConversions(db(), filter), listHistoryChoices(db())]);
  const canStart = can(actor.role, "conversion:start");
  const newButton = canStart ? (
    <ButtonLink href="/conversions/new" variant="primary">
      <PlusIcon /> New conversion
    </ButtonLink>
  ) : null;
  const header = <PageHeader title="Conversions" description="Every conversion, running or finished: its guest, source, profile, who started it, the agent, how long it took. Open one for its plan, log and result." actions={newButton} />;
  const filtered = Object.keys(current(filter)).some((k) => k !== "sort" && k !== "dir");

  if (total === 0 && !filtered && Object.keys(counts).length === 0) {
    return (
      <div className="space-y-6">
        {header}
        <EmptyState icon={<ConversionsIcon />} title="No conversions yet" description={<>Conversions you start here appear in this list, each with its plan, live log and progress and the exact configuration it used. Start with a dry run: it shows the plan before anything is copied.</>} action={newButton} />
      </div>
    );
  }

  const active = items.some((i) => (ACTIVE_STATUSES as readonly string[]).includes(i.status));
  return (
    <div className="space-y-6">
      <AutoRefresh active={active} />
      {header}
      <StatusFilter filter={filter} counts={counts} />
      <Filters filter={filter} users={choices.users} profiles={choices.profiles} />
      {items.length === 0 ? (
        <EmptyState title="No conversions match" description="Loosen a filter or clear them." action={<Link href="/conversions" className="text-sm font-medium text-accent-fg hover:underline">Show all</Link>} />
      ) : (
        <Table caption={`Conversions (${total} matching)`}>
          <THead>
            <TR>
              <TH numeric>#</TH>
              <TH>Guest</TH>
              <TH>Status</TH>
              <TH>Source → output</TH>
              <TH>Profile</TH>
              <TH>Started by</TH>
              <TH>Agent</TH>
              <TH>Start (UTC)</TH>
              <TH numeric>Duration</TH>
            </TR>
          </THead>
          <TBody>
            {items.map((c) => (
              <TR key={c.id} interactive data-conversion={c.number}>
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
                <TD className="text-[0.8125rem]">{c.createdByEmail}</TD>
                <TD>{c.agent ?? <span className="text-fg-subtle">{c.status === "queued" ? "waiting" : "none"}</span>}</TD>
                <TD className="text-[0.8125rem] tabular-nums">
                  {c.startedAt ? formatWhen(c.startedAt).replace(" UTC", "") : <span className="text-fg-subtle" title={`Created ${formatWhen(c.createdAt)}`}>not started</span>}
                </TD>
                <TD numeric className="tabular-nums">{formatDuration(c.durationMs)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      {prev || next ? (
        <nav aria-label="Pages" className="flex items-center justify-between text-sm text-fg-muted">
          <span>{total} conversions match</span>
          <div className="flex gap-2">
            {prev ? <Link className={buttonClassName({ size: "sm" })} href={href({ ...current(filter), before: prev })}>Previous page</Link> : null}
            {next ? <Link className={buttonClassName({ size: "sm" })} href={href({ ...current(filter), after: next })}>Next page</Link> : null}
          </div>
        </nav>
      ) : null}
    </div>
  );
}
