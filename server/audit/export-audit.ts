// The audit log as a file: CSV or JSON for a range of UTC days, oldest first, produced in
// batches walked by keyset on (at, id) so an export of millions of records streams in constant
// memory and the first bytes leave at once.
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";

/** 2026-02-30 is not a day (Date.parse would roll it over to March). */
function isCalendarDay(s: string): boolean {
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "A day is YYYY-MM-DD.").refine(isCalendarDay, "Not a calendar day.");

export const ZAuditExport = z
  .object({
    format: z.enum(["csv", "json"], { message: "The format is csv or json." }),
    /** First UTC day included. */
    from: day,
    /** Last UTC day included. */
    to: day,
  })
  .refine((v) => v.from <= v.to, { path: ["to"], message: "The range ends before it starts." });
export type TAuditExport = z.infer<typeof ZAuditExport>;

export function parseAuditExport(raw: Record<string, string | undefined>): TAuditExport {
  const parsed = ZAuditExport.safeParse(raw);
  if (parsed.success) return parsed.data;
  const fields: Record<string, string[]> = {};
  for (const i of parsed.error.issues) (fields[i.path.join(".") || "_form"] ??= []).push(i.message);
  throw new AppError("INVALID_INPUT", `Export needs ?format=csv|json&from=YYYY-MM-DD&to=YYYY-MM-DD: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`, fields);
}

export const AUDIT_COLUMNS = ["id", "at", "actor_email", "actor_id", "action", "target_type", "target_id", "ip", "before", "after"] as const;

type Row = { id: bigint; at: Date; actorEmail: string; actorId: string | null; action: string; targetType: string; targetId: string | null; ip: string | null; before: unknown; after: unknown };

export function exportFileName(e: TAuditExport): string {
  return `ferry-audit-${e.from}-to-${e.to}.${e.format}`;
}

/** The records of the range in order, `batch` at a time. */
async function* records(client: Db, e: TAuditExport, batch: number): AsyncGenerator<Row> {
  const from = new Date(`${e.from}T00:00:00Z`);
  const until = new Date(Date.parse(`${e.to}T00:00:00Z`) + 86_400_000);
  let cursor: { at: Date; id: bigint } | null = null;
  for (;;) {
    const rows: Row[] = await client.auditEvent.findMany({
      where: {
        at: { gte: from, lt: until },
        ...(cursor ? { OR: [{ at: { gt: cursor.at } }, { at: cursor.at, id: { gt: cursor.id } }] } : {}),
      },
      orderBy: [{ at: "asc" }, { id: "asc" }],
      take: batch,
    });
    for (const r of rows) yield r;
    if (rows.length < batch) return;
    const last = rows[rows.length - 1]!;
    cursor = { at: last.at, id: last.id };
  }
}

function plain(r: Row) {
  return { id: r.id.toString(), at: r.at.toISOString(), actorEmail: r.actorEmail, actorId: r.actorId, action: r.action, targetType: r.targetType, targetId: r.targetId, ip: r.ip, before: r.before ?? null, after: r.after ?? null };
}

/**
 * A CSV cell: quoted when it holds a separator, quote or line break; a leading = + - @ (which a
 * spreadsheet would run as a formula) is neutralised with a leading apostrophe (OWASP).
 */
export function csvCell(value: string | null): string {
  if (value === null) return "";
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The export's text, chunk by chunk (one chunk per batch of records). */
export async function* exportAudit(client: Db, e: TAuditExport, opts: { batch?: number } = {}): AsyncGenerator<string> {
  const batch = opts.batch ?? 1000;
  let chunk = e.format === "csv" ? `${AUDIT_COLUMNS.join(",")}\r\n` : "[";
  let n = 0;
  for await (const r of records(client, e, batch)) {
    const p = plain(r);
    if (e.format === "csv") {
      const cells = [p.id, p.at, p.actorEmail, p.actorId, p.action, p.targetType, p.targetId, p.ip, p.before === null ? null : JSON.stringify(p.before), p.after === null ? null : JSON.stringify(p.after)];
      chunk += `${cells.map(csvCell).join(",")}\r\n`;
    } else {
      chunk += `${n === 0 ? "\n" : ",\n"}${JSON.stringify(p)}`;
    }
    n++;
    if (n % batch === 0) {
      yield chunk;
      chunk = "";
    }
  }
  if (e.format === "json") chunk += n === 0 ? "]\n" : "\n]\n";
  yield chunk;
}
