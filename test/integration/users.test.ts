import { verifyPassword } from "better-auth/crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../../server/db/client.ts";
import { AppError } from "../../server/errors.ts";
import { createFirstAdmin, needsSetup } from "../../server/users/first-admin.ts";
import { createUser } from "../../server/users/create-user.ts";
import { setUserRole } from "../../server/users/set-role.ts";
import { freshDatabase } from "./db.ts";

let prisma: Db;
beforeAll(async () => {
  ({ prisma } = await freshDatabase("users"));
});
afterAll(async () => prisma?.$disconnect());

describe("users", () => {
  test("first start: two concurrent setups create exactly one admin", async () => {
    expect(await needsSetup(prisma)).toBe(true);
    const attempts = await Promise.allSettled([
      createFirstAdmin(prisma, { name: "A", email: "a@example.test", password: "password-a" }, { via: "setup-page", ip: "127.0.0.1" }),
      createFirstAdmin(prisma, { name: "B", email: "b@example.test", password: "password-b" }, { via: "setup-page", ip: "127.0.0.1" }),
    ]);
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    const rejected = attempts.find((a) => a.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(AppError);
    expect((rejected.reason as AppError).code).toBe("CONFLICT");
    expect(await prisma.user.count({ where: { role: "admin" } })).toBe(1);
    expect(await needsSetup(prisma)).toBe(false);
    expect(await prisma.auditEvent.count({ where: { action: "user.create" } })).toBe(1);
  });

  test("a created user can sign in with the password given (stored hashed, never plain)", async () => {
    const admin = await prisma.user.findFirstOrThrow({ where: { role: "admin" } });
    const user = await createUser(prisma, { id: admin.id, email: admin.email, ip: "10.0.0.9" }, { name: "Vera Viewer", email: "vera@example.test", password: "correct horse", role: "viewer" });
    const account = await prisma.account.findFirstOrThrow({ where: { userId: user.id, providerId: "credential" } });
    expect(account.password).not.toContain("correct horse");
    expect(await verifyPassword({ hash: account.password!, password: "correct horse" })).toBe(true);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { targetId: user.id } });
    expect(audit).toMatchObject({ actorEmail: admin.email, action: "user.create", ip: "10.0.0.9", after: { email: "vera@example.test", role: "viewer" } });
  });

  test("a duplicate email is a conflict on the email field, and nothing is half-saved", async () => {
    const before = await prisma.auditEvent.count();
    const err = await createUser(prisma, { id: null, email: "system" }, { name: "Dup", email: "vera@example.test", password: "12345678", role: "viewer" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).fieldErrors).toEqual({ email: ["This email is already in use."] });
    expect(await prisma.auditEvent.count()).toBe(before);
  });

  test("role changes are audited with before and after; the last admin cannot be demoted", async () => {
    const admin = await prisma.user.findFirstOrThrow({ where: { role: "admin" } });
    const vera = await prisma.user.findUniqueOrThrow({ where: { email: "vera@example.test" } });
    const actor = { id: admin.id, email: admin.email };
    expect(await setUserRole(prisma, actor, { userId: vera.id, role: "operator" })).toEqual({ changed: true });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { targetId: vera.id, action: "user.role.change" } });
    expect(audit.before).toEqual({ email: "vera@example.test", role: "viewer" });
    expect(audit.after).toEqual({ email: "vera@example.test", role: "operator" });

    await expect(setUserRole(prisma, actor, { userId: admin.id, role: "viewer" })).rejects.toThrow(/is the last admin/);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: admin.id } })).role).toBe("admin");
  });

  test("two admins demoting each other at once leave one admin", async () => {
    const admin = await prisma.user.findFirstOrThrow({ where: { role: "admin" } });
    const vera = await prisma.user.findUniqueOrThrow({ where: { email: "vera@example.test" } });
    await setUserRole(prisma, { id: admin.id, email: admin.email }, { userId: vera.id, role: "admin" });
    const results = await Promise.allSettled([
      setUserRole(prisma, { id: admin.id, email: admin.email }, { userId: vera.id, role: "viewer" }),
      setUserRole(prisma, { id: vera.id, email: vera.email }, { userId: admin.id, role: "viewer" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await prisma.user.count({ where: { role: "admin" } })).toBe(1);
  });

  test("the database itself refuses a role outside admin, operator, viewer", async () => {
    await expect(prisma.user.updateMany({ data: { role: "root" } })).rejects.toThrow(/users_role_check/);
  });
});
