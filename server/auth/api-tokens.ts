// Personal API tokens: a user creates one for their scripts (the secret is shown once: only its
// sha256 and first characters are kept), with an expiry and optionally read-only; they list and
// revoke their own. A request with `Authorization: Bearer ferry_pat_...` acts as the token's
// owner with the owner's current role; a read-only token may only read (GET).
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import { recordAudit, type AuditActor } from "../audit/record-audit.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import type { Actor } from "./actor.ts";
import { isRole } from "./roles.ts";

export const API_TOKEN_PREFIX = "ferry_pat_";
export const MAX_TOKEN_DAYS = 366;

export const ZNewApiToken = z.object({
  name: z.string().trim().min(1, "Name the token (e.g. what script uses it).").max(100, "At most 100 characters."),
  expiresInDays: z.coerce.number({ error: "Give the token's lifetime in days." }).int("Whole days.").min(1, "At least 1 day.").max(MAX_TOKEN_DAYS, `At most ${MAX_TOKEN_DAYS} days.`).default(30),
  readOnly: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()).default(false),
});
export type TNewApiToken = z.input<typeof ZNewApiToken>;

export type ApiTokenSummary = {
  id: string;
  name: string;
  prefix: string;
  readOnly: boolean;
  expiresAt: Date;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

/** An actor that came through an API token: who, and what the token allows. */
export type TokenActor = Actor & { tokenId: string; readOnly: boolean };

export function hashApiToken(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

function summary(row: ApiTokenSummary): ApiTokenSummary {
  return { id: row.id, name: row.name, prefix: row.prefix, readOnly: row.readOnly, expiresAt: row.expiresAt, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt, revokedAt: row.revokedAt };
}

function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) (out[issue.path.join(".") || "_"] ??= []).push(issue.message);
  return out;
}

/** Creates a token for `owner` (the signed-in user); the returned secret is the only time anyone sees it. */
export async function createApiToken(client: Db, owner: AuditActor & { id: string }, raw: TNewApiToken, now = new Date()): Promise<{ token: ApiTokenSummary; secret: string }> {
  const parsed = ZNewApiToken.safeParse(raw);
  if (!parsed.success) throw new AppError("INVALID_INPUT", "Check the fields.", fieldErrors(parsed.error));
  const input = parsed.data;
  const secret = API_TOKEN_PREFIX + randomBytes(24).toString("base64url");
  const prefix = secret.slice(0, API_TOKEN_PREFIX.length + 6);
  const expiresAt = new Date(now.getTime() + input.expiresInDays * 86_400_000);
  const row = await client.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: { id: randomUUID(), userId: owner.id, name: input.name, tokenHash: hashApiToken(secret), prefix, readOnly: input.readOnly, expiresAt, createdAt: now },
    });
    await recordAudit(tx, owner, { action: "api-token.create", targetType: "api-token", targetId: created.id, after: { name: created.name, prefix, readOnly: created.readOnly, expiresAt } });
    return created;
  });
  return { token: summary(row), secret };
}

export async function listApiTokens(client: Db, userId: string): Promise<ApiTokenSummary[]> {
  const rows = await client.apiToken.findMany({ where: { userId }, orderBy: { createdAt: "desc" } });
  return rows.map(summary);
}

/** Revokes one of `owner`'s tokens (an admin may revoke anyone's): refused from the next request on. */
export async function revokeApiToken(client: Db, owner: AuditActor & { id: string; role?: string }, id: string): Promise<ApiTokenSummary> {
  return client.$transaction(async (tx) => {
    const row = await tx.apiToken.findUnique({ where: { id } });
    if (!row || (row.userId !== owner.id && owner.role !== "admin")) throw new AppError("NOT_FOUND", "There is no such API token.");
    if (row.revokedAt) throw new AppError("CONFLICT", `The token ${row.name} is already revoked.`);
    const revoked = await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, owner, { action: "api-token.revoke", targetType: "api-token", targetId: id, before: { name: row.name, prefix: row.prefix }, after: { revokedAt: revoked.revokedAt } });
    return summary(revoked);
  });
}

/** The Bearer secret of an Authorization header, when it is an API token. */
export function bearerApiToken(authorization: string | null): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return m && m[1]!.startsWith(API_TOKEN_PREFIX) ? m[1] : undefined;
}

/**
 * The actor behind an API token: its owner with the owner's current role. Unknown, revoked and
 * expired tokens are refused with UNAUTHENTICATED (401), saying which; a good one has its last
 * use stamped (at most once a minute, to keep reads cheap).
 */
export async function authenticateApiToken(client: Db, secret: string, ip: string | null, now = new Date()): Promise<TokenActor> {
  const row = await client.apiToken.findUnique({ where: { tokenHash: hashApiToken(secret) }, include: { user: true } });
  if (!row) throw new AppError("UNAUTHENTICATED", "The API token is not valid (unknown token).");
  if (row.revokedAt) throw new AppError("UNAUTHENTICATED", `The API token ${row.name} was revoked on ${row.revokedAt.toISOString()}.`);
  if (row.expiresAt <= now) throw new AppError("UNAUTHENTICATED", `The API token ${row.name} expired on ${row.expiresAt.toISOString()}.`);
  if (!isRole(row.user.role)) throw new AppError("UNAUTHENTICATED", "The token's owner has no role.");
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await client.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { id: row.user.id, name: row.user.name, email: row.user.email, role: row.user.role, sessionId: `token:${row.id}`, ip, tokenId: row.id, readOnly: row.readOnly };
}

/** One audit record per mutating call made with a token: who, which token, what. */
export async function auditTokenUse(client: Db, actor: TokenActor, call: { method: string; path: string; status: number }): Promise<void> {
  await client.$transaction((tx) =>
    recordAudit(tx, { id: actor.id, email: actor.email, ip: actor.ip }, { action: "api-token.use", targetType: "api-token", targetId: actor.tokenId, after: call }),
  );
}
