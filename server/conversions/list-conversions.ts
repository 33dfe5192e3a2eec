// The conversions list (history): filtered, sorted and keyset-paginated in Postgres, so page
// 2,000 costs what page 1 costs. The filters and cursors are in history-filter.ts.
import type { Db } from "../db/client.ts";
import { Prisma } from "../db/generated/client.ts";
import { readConversion, type ConversionProgress } from "./conversion-row.ts";
import {
  baseConditions,
  cursorValue,
  decodeCursor,
  directionOf,
  encodeCursor,
  keysetCondition,
  SORT_COLUMN,
  statusCondition,
  whereSql,
  ZConversionFilter,
  type ConversionFilter,
  type TConversionFilter,
} from "./history-filter.ts";
import { describeOutput, describeSource, type TConversionRequest } from "./request.ts";
import type { ConversionStatus } from "./status.ts";

export { ZConversionFilter, type ConversionFilter, type TConversionFilter } from "./history-filter.ts";

export type ConversionSummary = {
  id: string;
  number: number;
  guestName: string;
  status: ConversionStatus;
  dryRun: boolean;
  cancelRequested: boolean;
  source: string;
  output: string;
  profile: string | null;
  agent: string | null;
  createdByEmail: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Milliseconds from start to finish (to now while it runs); null before an agent started it. */
  durationMs: number | null;
  progress: ConversionProgress | null;
  error: string | null;
};

export type ConversionPage = {
  items: ConversionSummary[];
  /** Cursor of the next page in the chosen order, null on the last page. */
  next: string | null;
  /** Cursor of the previous page, null on the first. */
  prev: string | null;
  /** Rows matching every filter. */
  total: number;
  /** Rows matching every filter but the status, per status (the status chips). */
  counts: Partial<Record<ConversionStatus, number>>;
  filter: ConversionFilter;
};

type Row = {
  id: string;
  number: number;
  guest_name: string;
  status: string;
  dry_run: boolean;
  cancel_requested: boolean;
  request: unknown;
  profile: string | null;
  created_by_email: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  progress: unknown;
  error: string | null;
  agent_name: string | null;
};

export async function listConversions(client: Db, raw: TConversionFilter = {}, now: Date = new Date()): Promise<ConversionPage> {
  const filter = ZConversionFilter.parse(raw);
  const dir = directionOf(filter);
  const after = decodeCursor(filter.after, filter.sort);
  const before = after ? undefined : decodeCursor(filter.before, filter.sort);
  // Going back walks the opposite way from the cursor, then the rows are put back in order.
  const travel = before ? (dir === "desc" ? "asc" : "desc") : dir;
  const base = baseConditions(filter);
  const filtered = [...base, ...statusCondition(filter)];
  const keyset = after ? [keysetCondition(filter.sort, after, dir)] : before ? [keysetCondition(filter.sort, before, travel)] : [];
  const order = travel === "desc" ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const col = SORT_COLUMN[filter.sort];

  // One counting scan, not two: the total is the sum of the chips the status filter selects.
  const [rows, grouped] = await Promise.all([
    // The request without the uploaded domain XML: the list needs only how to describe it.
    client.$queryRaw<Row[]>`
      SELECT c.id, c.number, c.guest_name, c.status, c.dry_run, c.cancel_requested,
             jsonb_build_object('source', (c.request->'source') - 'xml', 'output', c.request->'output') AS request,
             c.profile, c.created_by_email, c.created_at, c.started_at, c.finished_at, c.progress, c.error, a.name AS agent_name
      FROM conversions c LEFT JOIN agents a ON a.id = c.agent_id
      ${whereSql([...filtered, ...keyset])}
      ORDER BY ${col} ${order}, c.number ${order}
      LIMIT ${filter.pageSize + 1}`,
    statusCounts(client, filter, base),
  ]);

  const more = rows.length > filter.pageSize;
  const page = rows.slice(0, filter.pageSize);
  if (before) page.reverse();
  const items = page.map((r) => summary(r, now));
  const cursorOf = (s: ConversionSummary) => encodeCursor({ value: cursorValue(filter.sort, s), number: s.number });
  const first = items[0];
  const last = items[items.length - 1];
  // Forward: a next page exists when one more row came back; a previous one when we came from a cursor.
  // Backward: the other way round.
  const hasNext = before ? true : more;
  const hasPrev = before ? more : Boolean(after);
  const counts: ConversionPage["counts"] = {};
  for (const g of grouped) counts[g.status as ConversionStatus] = g.n;
  const total = grouped.filter((g) => !filter.status?.length || (filter.status as string[]).includes(g.status)).reduce((n, g) => n + g.n, 0);
  return {
    items,
    next: hasNext && last ? cursorOf(last) : null,
    prev: hasPrev && first ? cursorOf(first) : null,
    total,
    counts,
    filter,
  };
}

/**
 * Conversions per status under every filter but the status. Without a guest or date filter,
 * the sums of conversion_counts (kept by triggers, migration 20261201150000_logs_at_scale): a
 * count over the table cost 20-300 ms a page at 100,000 conversions. Those two filters need the
 * rows themselves, and their indexes find few.
 */
function statusCounts(client: Db, filter: ConversionFilter, base: Prisma.Sql[]): Promise<{ status: string; n: number }[]> {
  if (filter.guest || filter.from || filter.to) {
    return client.$queryRaw`SELECT c.status, count(*)::int AS n FROM conversions c ${whereSql(base)} GROUP BY c.status`;
  }
  const keys: Prisma.Sql[] = [];
  if (filter.user) keys.push(Prisma.sql`k.created_by_email = ${filter.user}`);
  if (filter.profile) keys.push(Prisma.sql`k.profile = ${filter.profile}`);
  return client.$queryRaw`SELECT k.status, sum(k.n)::int AS n FROM conversion_counts k ${whereSql(keys)} GROUP BY k.status HAVING sum(k.n) > 0`;
}

function summary(r: Row, now: Date): ConversionSummary {
  const row = readConversion({
    id: r.id,
    number: r.number,
    guestName: r.guest_name,
    status: r.status,
    dryRun: r.dry_run,
    request: r.request,
    profile: r.profile,
    configRevisions: null,
    plan: null,
    result: null,
    errorCode: null,
    error: r.error,
    progress: r.progress,
    agentId: null,
    attempt: 0,
    cancelRequested: r.cancel_requested,
    createdById: null,
    createdByEmail: r.created_by_email,
    createdAt: r.created_at,
    updatedAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  });
  const request = row.request as TConversionRequest;
  const end = row.finishedAt ?? (row.status === "running" ? now : null);
  return {
    id: row.id,
    number: row.number,
    guestName: row.guestName,
    status: row.status,
    dryRun: row.dryRun,
    cancelRequested: row.cancelRequested,
    // A row written by hand or by an older version may lack a part: the list still shows it.
    source: request.source && typeof request.source === "object" ? describeSource(request.source) : "-",
    output: request.output && typeof request.output === "object" ? describeOutput(request.output, row.profile) : "-",
    profile: row.profile,
    agent: r.agent_name,
    createdByEmail: row.createdByEmail,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    durationMs: row.startedAt && end ? Math.max(0, end.getTime() - row.startedAt.getTime()) : null,
    progress: row.progress,
    error: row.error,
  };
}
