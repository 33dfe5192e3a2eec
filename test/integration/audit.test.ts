import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../../server/db/client.ts";
import { recordAudit } from "../../server/audit/record-audit.ts";
import { listAudit, ZAuditFilter } from "../../server/audit/list-audit.ts";
import { freshDatabase } from "./db.ts";

let prisma: Db;
beforeAll(async () => {
  ({ prisma } = await freshDatabase("audit_log"));
});
afterAll(async () => prisma?.$disconnect());

const alice = { id: "alice-id", email: "alice@example.test", ip: "10.1.2.3" };
const bob = { id: "bob-id", email: "bob@example.test", ip: "10.1.2.4" };

describe("the audit log is append-only", () => {
  test("the database refuses UPDATE, DELETE and TRUNCATE of audit records", async () => {
    await prisma.$transaction((tx) => recordAudit(tx, alice, { action: "profile.update", targetType: "profile", targetId: "p1", before: { a: 1 }, after: { a: 2 } }));
    await expect(prisma.$executeRaw`UPDATE audit_events SET action = 'forged'`).rejects.toThrow(/audit_events is append-only: UPDATE is not allowed/);
    await expect(prisma.$executeRaw`DELETE FROM audit_events`).rejects.toThrow(/audit_events is append-only: DELETE is not allowed/);
    await expect(prisma.$executeRaw`TRUNCATE audit_events`).rejects.toThrow(/audit_events is append-only: TRUNCATE is not allowed/);
    await expect(prisma.auditEvent.updateMany({ data: { action: "forged" } })).rejects.toThrow(/append-only/);
    const rows = await prisma.auditEvent.findMany({ where: { targetId: "p1" } });
    expect(rows.map((r) => r.action)).toEqual(["profile.update"]);
  });

  test("a change and its audit record commit or roll back together", async () => {
    await expect(
      prisma.$transaction(async (tx) => {
        await recordAudit(tx, alice, { action: "user.create", targetType: "user", targetId: "ghost" });
        throw new Error("the change itself failed");
      }),
    ).rejects.toThrow("the change itself failed");
    expect(await prisma.auditEvent.count({ where: { targetId: "ghost" } })).toBe(0);
  });
});

describe("listing the audit log", () => {
  beforeAll(async () => {
    for (let i = 0; i < 7; i++) {
      await prisma.$transaction((tx) => recordAudit(tx, i % 2 ? bob : alice, { action: i < 4 ? "user.create" : "user.role.change", targetType: "user", targetId: `u${i}`, after: { n: i } }));
    }
  });

  test("newest first, with who, what, target, before/after and address", async () => {
    const { rows } = await listAudit(prisma, ZAuditFilter.parse({}));
    expect(rows[0]).toMatchObject({ actorEmail: "alice@example.test", action: "user.role.change", targetType: "user", targetId: "u6", after: { n: 6 }, ip: "10.1.2.3" });
    const ids = rows.map((r) => BigInt(r.id));
    expect([...ids].sort((a, b) => (a > b ? -1 : 1))).toEqual(ids);
  });

  test("filters by actor, action and target", async () => {
    const byBob = await listAudit(prisma, ZAuditFilter.parse({ actor: "BOB@" }));
    expect(byBob.rows.map((r) => r.targetId)).toEqual(["u5", "u3", "u1"]);
    const roleChanges = await listAudit(prisma, ZAuditFilter.parse({ action: "user.role" }));
    expect(roleChanges.rows.map((r) => r.targetId)).toEqual(["u6", "u5", "u4"]);
    const oneUser = await listAudit(prisma, ZAuditFilter.parse({ target: "user:u2" }));
    expect(oneUser.rows.map((r) => r.action)).toEqual(["user.create"]);
  });

  test("pages with a cursor, without repeating or skipping a record", async () => {
    const seen: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await listAudit(prisma, ZAuditFilter.parse({ target: "user", limit: 3, before }));
      seen.push(...page.rows.map((r) => r.targetId ?? ""));
      if (!page.next) break;
      before = page.next;
    }
    expect(seen).toEqual(["u6", "u5", "u4", "u3", "u2", "u1", "u0"]);
  });
});
