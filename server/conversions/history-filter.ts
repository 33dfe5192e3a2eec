// The conversions list's query: filters as the URL carries them, the sort, and keyset cursors.
// A cursor is the last row's (sort value, number): the next page starts strictly after it, so a
// row inserted meanwhile never shifts a page and ties on created_at are broken by number.
import { z } from "zod";
import { Prisma } from "../db/generated/client.ts";
import { CONVERSION_STATUSES } from "./status.ts";

export const HISTORY_SORTS = ["created", "guest"] as const;
export type HistorySort = (typeof HISTORY_SORTS)[number];

/** 2026-02-30 is not a day (Date.parse would roll it over to March). */
function isCalendarDay(s: string): boolean {
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "A day is YYYY-MM-DD.").refine(isCalendarDay, "Not a calendar day.");
const text = (max: number) => z.string().trim().max(max).optional().transform((v) => v || undefined);

export const ZConversionFilter = z.object({
  /** One or more statuses, comma-separated in the URL. */
  status: z.preprocess((v) => (typeof v === "string" ? v.split(",").filter(Boolean) : v), z.array(z.enum(CONVERSION_STATUSES)).optional()),
  /** Part of the guest name, any case. */
  guest: text(200),
  /** Exactly who started it (their email). */
  user: text(320),
  /** Exactly the profile asked for (-p). */
  profile: text(200),
  /** Created on or after this UTC day. */
  from: day.optional(),
  /** Created on or before this UTC day (the whole day). */
  to: day.optional(),
  sort: z.enum(HISTORY_SORTS).default("created"),
  /** created: newest first by default; guest: A to Z by default. */
  dir: z.enum(["asc", "desc"]).optional(),
  /** The page after this cursor (older, in the chosen order). */
  after: text(500),
  /** The page before this cursor (going back). */
  before: text(500),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type TConversionFilter = z.input<typeof ZConversionFilter>;
export type ConversionFilter = z.output<typeof ZConversionFilter>;

export type Cursor = { value: string; number: number };

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.value, c.number])).toString("base64url");
}

/** Undefined for anything that is not a cursor this module made (a stale or hand-edited URL starts over). */
export function decodeCursor(raw: string | undefined, sort: HistorySort): Cursor | undefined {
  if (!raw) return undefined;
  try {
    const v = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as unknown;
    if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== "string" || !Number.isInteger(v[1])) return undefined;
    if (sort === "created" && Number.isNaN(Date.parse(v[0]))) return undefined;
    return { value: v[0], number: v[1] as number };
  } catch {
    return undefined;
  }
}

export function directionOf(f: ConversionFilter): "asc" | "desc" {
  return f.dir ?? (f.sort === "created" ? "desc" : "asc");
}

/** The sort column as SQL, and the cursor value of a row. */
export const SORT_COLUMN: Record<HistorySort, Prisma.Sql> = { created: Prisma.sql`c.created_at`, guest: Prisma.sql`c.guest_name` };

export function cursorValue(sort: HistorySort, row: { createdAt: Date; guestName: string }): string {
  return sort === "created" ? row.createdAt.toISOString() : row.guestName;
}

function sortLiteral(sort: HistorySort, value: string): Prisma.Sql {
  return sort === "created" ? Prisma.sql`${new Date(value)}::timestamptz` : Prisma.sql`${value}::text`;
}

/** Everything but the status: the status chips show counts under the other filters. */
export function baseConditions(f: ConversionFilter): Prisma.Sql[] {
  const out: Prisma.Sql[] = [];
  if (f.guest) out.push(Prisma.sql`c.guest_name ILIKE ${`%${escapeLike(f.guest)}%`}`);
  if (f.user) out.push(Prisma.sql`c.created_by_email = ${f.user}`);
  if (f.profile) out.push(Prisma.sql`c.profile = ${f.profile}`);
  if (f.from) out.push(Prisma.sql`c.created_at >= ${new Date(`${f.from}T00:00:00Z`)}::timestamptz`);
  if (f.to) out.push(Prisma.sql`c.created_at < ${new Date(Date.parse(`${f.to}T00:00:00Z`) + 86_400_000)}::timestamptz`);
  return out;
}

export function statusCondition(f: ConversionFilter): Prisma.Sql[] {
  return f.status?.length ? [Prisma.sql`c.status = ANY(${f.status}::text[])`] : [];
}

/** Rows strictly past the cursor in the direction of travel. */
export function keysetCondition(sort: HistorySort, cursor: Cursor, travel: "asc" | "desc"): Prisma.Sql {
  const col = SORT_COLUMN[sort];
  const v = sortLiteral(sort, cursor.value);
  return travel === "desc" ? Prisma.sql`(${col}, c.number) < (${v}, ${cursor.number})` : Prisma.sql`(${col}, c.number) > (${v}, ${cursor.number})`;
}

export function whereSql(conditions: Prisma.Sql[]): Prisma.Sql {
  return conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
}

/** A guest called "100%_done" is searched for literally. */
function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`);
}
