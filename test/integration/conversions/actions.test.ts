// The conversion actions as each role calls them (the session is stubbed; authorization,
// validation and the database are real): operators and admins start, cancel and retry;
// viewers are refused and a refused call writes nothing.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { Actor } from "../../../server/auth/actor.ts";
import type { TRole } from "../../../server/auth/roles.ts";
import type { Db } from "../../../server/db/client.ts";
import { seedVendorLayer } from "../../../server/config/seed-vendor-layer.ts";
import { freshDatabase } from "../db.ts";

const session = vi.hoisted(() => ({ role: null as TRole | null }));
vi.mock("next/headers", () => ({ headers: async () => new Headers() }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("../../../server/auth/actor.ts", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../../server/auth/actor.ts")>()),
  actorFromHeaders: async (): Promise<Actor | null> =>
    session.role && { id: `${session.role}-id`, name: session.role, email: `${session.role}@example.test`, role: session.role, sessionId: "s", ip: "10.1.1.1" },
}));

const actions = await import("../../../app/(console)/conversions/actions.ts");

const pv = readFileSync(path.resolve(import.meta.dirname, "../../fixtures/domains/xen-pv-pygrub.xml"), "utf8");
const initial = { ok: false };
const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
};
const newConversion = (extra: Record<string, string> = {}) => form({ "source.method": "libvirtxml", "source.xml": pv, "output.method": "libvirt", "output.storage": "default", dryRun: "true", ...extra });

let prisma: Db;
beforeAll(async () => {
  const fresh = await freshDatabase("conversion_actions");
  prisma = fresh.prisma;
  process.env.DATABASE_URL = fresh.url;
  await seedVendorLayer(prisma);
});
afterAll(async () => prisma?.$disconnect());

describe("conversion actions by role", () => {
  test("an operator starts a dry run, sees field errors for bad input, and cancels it", async () => {
    session.role = "operator";
    const created = await actions.createConversionAction(initial, newConversion());
    expect(created).toMatchObject({ ok: true, number: 1, message: "Dry run #1 of XenGuest1 is queued." });
    const bad = await actions.createConversionAction(initial, newConversion({ "network.0": "a:b", "network.1": "a:c", "output.allocation": "thin" }));
    expect(bad).toEqual({
      ok: false,
      message: "Check the highlighted fields.",
      fieldErrors: { "network.1": ["duplicate -n/--network parameter.  Duplicate mappings specified for network a."], "output.allocation": ["allocation scheme must be sparse or preallocated"] },
    });
    expect(await actions.conversionRowAction(initial, form({ id: created.id!, action: "cancel" }))).toEqual({ ok: true, message: "Conversion #1 is cancelled." });
    expect(await actions.conversionRowAction(initial, form({ id: created.id!, action: "cancel" }))).toEqual({ ok: false, message: "Conversion #1 was cancelled: there is nothing to cancel." });
    expect(await actions.conversionRowAction(initial, form({ id: created.id!, action: "retry" }))).toEqual({ ok: true, message: "Conversion #1 is queued again." });
    const audit = await prisma.auditEvent.findMany({ where: { targetId: created.id! }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.actorEmail, a.ip])).toEqual([
      ["conversion.plan", "operator@example.test", "10.1.1.1"],
      ["conversion.cancel", "operator@example.test", "10.1.1.1"],
      ["conversion.retry", "operator@example.test", "10.1.1.1"],
    ]);
  });

  test("a viewer is refused every change, and nothing is written", async () => {
    session.role = "operator";
    const created = await actions.createConversionAction(initial, newConversion());
    session.role = "viewer";
    const before = { conversions: await prisma.conversion.findMany({ orderBy: { number: "asc" } }), audits: await prisma.auditEvent.count() };
    expect(await actions.createConversionAction(initial, newConversion())).toEqual({ ok: false, message: "Your role (viewer) does not allow this (conversion:start)." });
    for (const [action, permission] of [["cancel", "conversion:cancel"], ["start", "conversion:start"], ["retry", "conversion:retry"], ["replan", "conversion:start"]] as const) {
      expect(await actions.conversionRowAction(initial, form({ id: created.id!, action }))).toEqual({ ok: false, message: `Your role (viewer) does not allow this (${permission}).` });
    }
    session.role = null;
    expect(await actions.conversionRowAction(initial, form({ id: created.id!, action: "cancel" }))).toEqual({ ok: false, message: "Sign in to continue." });
    expect({ conversions: await prisma.conversion.findMany({ orderBy: { number: "asc" } }), audits: await prisma.auditEvent.count() }).toEqual(before);
  });
});
