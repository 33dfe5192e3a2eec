// The first start: while no user exists, one admin may be created (from the setup page, or from
// FERRY_ADMIN_EMAIL / FERRY_ADMIN_PASSWORD for unattended installs). An advisory lock makes two
// concurrent attempts create one admin, not two.
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { recordAudit, type AuditActor } from "../audit/record-audit.ts";
import { insertUser, type PublicUser } from "./create-user.ts";
import type { TFirstAdmin } from "./schemas.ts";

const SETUP_LOCK = 4_718_001;

export async function needsSetup(client: Db): Promise<boolean> {
  return (await client.user.count()) === 0;
}

export async function createFirstAdmin(client: Db, input: TFirstAdmin, origin: { ip?: string | null; via: "setup-page" | "environment" }): Promise<PublicUser> {
  return client.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SETUP_LOCK})`;
    if ((await tx.user.count()) > 0) throw new AppError("CONFLICT", "Ferry is already set up: sign in, or ask an admin for an account.");
    const user = await insertUser(tx, { ...input, role: "admin" });
    const actor: AuditActor = { id: origin.via === "setup-page" ? user.id : null, email: origin.via === "setup-page" ? user.email : "system", ip: origin.ip ?? null };
    await recordAudit(tx, actor, { action: "user.create", targetType: "user", targetId: user.id, after: { name: user.name, email: user.email, role: user.role, via: origin.via } });
    return user;
  });
}
