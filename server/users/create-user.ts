// Creates a user with an email+password credential, in one transaction with its audit record.
import { randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import type { Db, Tx } from "../db/client.ts";
import { Prisma } from "../db/generated/client.ts";
import { AppError } from "../errors.ts";
import { recordAudit, type AuditActor } from "../audit/record-audit.ts";
import type { TNewUser } from "./schemas.ts";

export type PublicUser = { id: string; name: string; email: string; role: string; createdAt: Date };

export async function insertUser(tx: Tx, input: TNewUser): Promise<PublicUser> {
  const id = randomUUID();
  const now = new Date();
  const user = await tx.user.create({
    data: { id, name: input.name, email: input.email, role: input.role, emailVerified: true, createdAt: now, updatedAt: now },
    select: { id: true, name: true, email: true, role: true, createdAt: true },
  });
  await tx.account.create({
    data: { id: randomUUID(), accountId: id, providerId: "credential", userId: id, password: await hashPassword(input.password), createdAt: now, updatedAt: now },
  });
  return user;
}

export function isUniqueViolation(e: unknown): boolean {
  return e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002";
}

export async function createUser(client: Db, actor: AuditActor, input: TNewUser): Promise<PublicUser> {
  try {
    return await client.$transaction(async (tx) => {
      const user = await insertUser(tx, input);
      await recordAudit(tx, actor, { action: "user.create", targetType: "user", targetId: user.id, after: { name: user.name, email: user.email, role: user.role } });
      return user;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("CONFLICT", `A user with the email ${input.email} already exists.`, { email: ["This email is already in use."] });
    throw e;
  }
}
