// Signs a user out everywhere: deletes every session of theirs (better-auth reads sessions from
// the database on each request, so their cookies are refused from the next request on), with
// the audit record in the same transaction. The caller then closes their live connections.
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { recordAudit, type AuditActor } from "../audit/record-audit.ts";
import type { TSessionRevocation } from "./schemas.ts";

export async function revokeSessions(client: Db, actor: AuditActor, input: TSessionRevocation): Promise<{ email: string; revoked: number }> {
  return client.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: { id: true, email: true } });
    if (!user) throw new AppError("NOT_FOUND", "That user does not exist.");
    const { count } = await tx.session.deleteMany({ where: { userId: user.id } });
    await recordAudit(tx, actor, { action: "user.sessions.revoke", targetType: "user", targetId: user.id, before: { email: user.email, sessions: count }, after: { email: user.email, sessions: 0 } });
    return { email: user.email, revoked: count };
  });
}
