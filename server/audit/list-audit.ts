// The audit log, newest first, filtered by actor, action and target; keyset-paginated by
// (at, id) so deep pages stay cheap.
import { z } from "zod";
import type { Db } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";
import { auditLink, targetNames, type AuditLink } from "./audit-links.ts";

export const ZAuditFilter = z.object({
  actor: z.string().trim().max(320).optional(),
  action: z.string().trim().max(100).optional(),
  target: z.string().trim().max(200).optional(),
  before: z.string().regex(/^\d+$/).optional(),
  /** UTC days, both included. */
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((s) => !Number.isNaN(Date.parse(s))).optional(),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((s) => !Number.isNaN(Date.parse(s))).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TAuditFilter = z.infer<typeof ZAuditFilter>;

export type AuditRow = {
  id: string;
  at: Date;
  actorEmail: string;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  /** The page of what the record concerns (conversion, layer revision, ...), if it has one. */
  link: AuditLink | null;
};

export async function listAudit(client: Db, filter: TAuditFilter): Promise<{ rows: AuditRow[]; next: string | null }> {
  const where: Prisma.AuditEventWhereInput = {};
  if (filter.actor) where.actorEmail = { contains: filter.actor, mode: "insensitive" };
  if (filter.action) where.action = { startsWith: filter.action };
  if (filter.target) {
    const [type, id] = filter.target.split(":", 2);
    where.targetType = type;
    if (id) where.targetId = id;
  }
  if (filter.before) where.id = { lt: BigInt(filter.before) };
  if (filter.from || filter.to) {
    where.at = {
      ...(filter.from ? { gte: new Date(`${filter.from}T00:00:00Z`) } : {}),
      ...(filter.to ? { lt: new Date(Date.parse(`${filter.to}T00:00:00Z`) + 86_400_000) } : {}),
    };
  }
  const found = await client.auditEvent.findMany({ where, orderBy: [{ id: "desc" }], take: filter.limit + 1 });
  const page = found.slice(0, filter.limit);
  const names = await targetNames(client, page);
  const rows = page.map((r) => ({ ...r, id: r.id.toString(), link: auditLink(r, names) }));
  const next = found.length > filter.limit ? (rows[rows.length - 1]?.id ?? null) : null;
  return { rows, next };
}

export async function listAuditActions(client: Db): Promise<string[]> {
  const rows = await client.auditEvent.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } });
  return rows.map((r) => r.action);
}
