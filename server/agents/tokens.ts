// Agent tokens: an admin creates one (the secret is shown once: only its sha256 and first
// characters are kept), lists and revokes them; a remote agent presents it as a Bearer token.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import { recordAudit, type AuditActor } from "../audit/record-audit.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { TX } from "./settings.ts";

export const TOKEN_PREFIX = "ferry_agt_";

export const ZNewAgentToken = z.object({
  name: z.string().trim().min(1, "Name the token (e.g. the host it is for).").max(100, "At most 100 characters."),
});
export type TNewAgentToken = z.infer<typeof ZNewAgentToken>;

export const ZAgentTokenRef = z.object({ id: z.string().min(1, "Which token?").max(200, "Unknown token.") });

export type AgentTokenSummary = {
  id: string;
  name: string;
  prefix: string;
  createdByEmail: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  agents: string[];
};

export function hashToken(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** Creates a token; the returned secret is the only time anyone sees it. */
export async function createAgentToken(client: Db, actor: AuditActor, input: TNewAgentToken): Promise<{ token: AgentTokenSummary; secret: string }> {
  const secret = TOKEN_PREFIX + randomBytes(24).toString("base64url");
  const prefix = secret.slice(0, TOKEN_PREFIX.length + 6);
  const row = await client.$transaction(async (tx) => {
    const created = await tx.agentToken.create({
      data: { id: randomUUID(), name: input.name, tokenHash: hashToken(secret), prefix, createdById: actor.id, createdByEmail: actor.email },
    });
    await recordAudit(tx, actor, { action: "agent-token.create", targetType: "agent-token", targetId: created.id, after: { name: created.name, prefix } });
    return created;
  }, TX);
  return { token: { ...summary(row), agents: [] }, secret };
}

function summary(row: { id: string; name: string; prefix: string; createdByEmail: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }) {
  return { id: row.id, name: row.name, prefix: row.prefix, createdByEmail: row.createdByEmail, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt, revokedAt: row.revokedAt };
}

export async function listAgentTokens(client: Db): Promise<AgentTokenSummary[]> {
  const rows = await client.agentToken.findMany({ orderBy: { createdAt: "desc" }, include: { agents: { select: { name: true } } } });
  return rows.map((r) => ({ ...summary(r), agents: r.agents.map((a) => a.name) }));
}

/** Revokes a token: the agents using it are refused from their next request on. */
export async function revokeAgentToken(client: Db, actor: AuditActor, id: string): Promise<AgentTokenSummary> {
  return client.$transaction(async (tx) => {
    const row = await tx.agentToken.findUnique({ where: { id } });
    if (!row) throw new AppError("NOT_FOUND", "There is no such agent token.");
    if (row.revokedAt) throw new AppError("CONFLICT", `The token ${row.name} is already revoked.`);
    const revoked = await tx.agentToken.update({ where: { id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, actor, { action: "agent-token.revoke", targetType: "agent-token", targetId: id, before: { name: row.name, prefix: row.prefix }, after: { revokedAt: revoked.revokedAt } });
    return { ...summary(revoked), agents: [] };
  }, TX);
}

export type AuthenticatedToken = { id: string; name: string };

/**
 * Checks an `Authorization: Bearer TOKEN` header: unknown or revoked tokens are refused with
 * UNAUTHENTICATED (401); a good one has its last use stamped (at most once a minute).
 */
export async function authenticateAgentToken(client: Db, authorization: string | null): Promise<AuthenticatedToken> {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!m) throw new AppError("UNAUTHENTICATED", "This route needs an agent token: send Authorization: Bearer TOKEN (an admin creates tokens on the Agents page).");
  const row = await client.agentToken.findUnique({ where: { tokenHash: hashToken(m[1]!) } });
  if (!row) throw new AppError("UNAUTHENTICATED", "The agent token is not valid (unknown token).");
  if (row.revokedAt) throw new AppError("UNAUTHENTICATED", `The agent token ${row.name} was revoked on ${row.revokedAt.toISOString()}.`);
  // Stamped at most once a minute (as API tokens are): a busy agent sends several requests a
  // second, and a write (and its commit) per log batch cost as much as the batch's own checks.
  const now = new Date();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) await client.agentToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  return { id: row.id, name: row.name };
}
