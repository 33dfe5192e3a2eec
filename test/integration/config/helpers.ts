// Shared by the configuration tests: people to act as, and small configuration texts.
import type { Db } from "../../../server/db/client.ts";
import type { AuditActor } from "../../../server/audit/record-audit.ts";
import { AppError } from "../../../server/errors.ts";

export const alice: AuditActor = { id: null, email: "alice@example.test", ip: "10.0.0.1" };
export const bob: AuditActor = { id: null, email: "bob@example.test", ip: "10.0.0.2" };

/** The AppError a promise rejects with (fails the test if it resolves or throws anything else). */
export async function appError(promise: Promise<unknown>): Promise<AppError> {
  const result = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in result)) throw new Error(`expected an AppError, got ${JSON.stringify(result.value)}`);
  if (!(result.error instanceof AppError)) throw result.error;
  return result.error;
}

export async function auditActions(prisma: Db, targetId: string): Promise<string[]> {
  const rows = await prisma.auditEvent.findMany({ where: { targetId }, orderBy: { id: "asc" }, select: { action: true } });
  return rows.map((r) => r.action);
}

export function conf(body: string): string {
  return `<?xml version="1.0"?>\n<virt-v2v>\n${body}\n</virt-v2v>\n`;
}
