// The audit log, newest first, filtered by actor, action and target; keyset-paginated by
// (at, id) so deep pages stay cheap.
import { z } from "zod";
import type { Db } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";

export const ZAuditFilter = z.object({
  actor: z.string().trim().max(320).optional(),
  action: z.string().trim().max(100).optional(),
  target: z.string().trim().max(200).optional(),
  before: z.string().regex(/^\d+$/).optional(),
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
  const found = await client.auditEvent.findMany({ where, orderBy: [{ id: "desc" }], take: filter.limit + 1 });
  const rows = found.slice(0, filter.limit).map((r) => ({ ...r, id: r.id.toString() }));
  const next = found.length > filter.limit ? (rows[rows.length - 1]?.id ?? null) : null;
  return { rows, next };
}

export async function listAuditActions(client: Db): Promise<string[]> {
  const rows = await client.auditEvent.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } });
  return rows.map((r) => r.action);
}
