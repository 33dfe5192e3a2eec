// Writes one audit record inside the caller's transaction, so the change and its record commit
// or roll back together.
import type { Tx } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";

export type AuditActor = { id: string | null; email: string; ip?: string | null };

export type AuditInput = {
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
};

export const SYSTEM_ACTOR: AuditActor = { id: null, email: "system", ip: null };

function json(value: unknown): Prisma.InputJsonValue | undefined {
  return value === undefined || value === null ? undefined : (JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue);
}

export async function recordAudit(tx: Tx, actor: AuditActor, input: AuditInput): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorId: actor.id,
      actorEmail: actor.email,
      ip: actor.ip ?? null,
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId ?? null,
      before: json(input.before),
      after: json(input.after),
    },
  });
}
