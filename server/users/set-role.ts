// Changes a user's role, audited with before and after. The last admin cannot be demoted, so
// the console can never lose its administrators.
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { recordAudit, type AuditActor } from "../audit/record-audit.ts";
import type { TRoleChange } from "./schemas.ts";

const ROLE_LOCK = 4_718_002;

export async function setUserRole(client: Db, actor: AuditActor, input: TRoleChange): Promise<{ changed: boolean }> {
  return client.$transaction(async (tx) => {
    // Serialise role changes so two admins demoting each other cannot leave none.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ROLE_LOCK})`;
    const rows = await tx.$queryRaw<{ id: string; role: string; email: string }[]>`SELECT id, role, email FROM users WHERE id = ${input.userId} FOR UPDATE`;
    const user = rows[0];
    if (!user) throw new AppError("NOT_FOUND", "That user does not exist.");
    if (user.role === input.role) return { changed: false };
    if (user.role === "admin") {
      const admins = await tx.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM users WHERE role = 'admin'`;
      if (Number(admins[0]?.n ?? 0) <= 1) throw new AppError("CONFLICT", `${user.email} is the last admin: make another user admin first.`);
    }
    await tx.user.update({ where: { id: user.id }, data: { role: input.role } });
    await recordAudit(tx, actor, { action: "user.role.change", targetType: "user", targetId: user.id, before: { email: user.email, role: user.role }, after: { email: user.email, role: input.role } });
    return { changed: true };
  });
}
