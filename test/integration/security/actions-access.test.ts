// Every exported server action of every app/**/actions.ts called as anonymous, viewer, operator
// and admin (the session is stubbed; authorization, validation and the database are real). The
// modules are imported and their exports enumerated, so an action missing from CASES fails
// this test. The rule: an anonymous caller gets "Sign in to continue.", a role without the
// permission in server/auth/roles.ts gets "Your role (...) does not allow this (...)", and a
// refused call writes nothing (every table's row count, audit included, is the same after);
// a role with the permission gets past authorization (its placeholder input may still be
// refused as invalid or not found).
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { Actor } from "../../../server/auth/actor.ts";
import { ROLES, type TPermission, type TRole } from "../../../server/auth/roles.ts";
import type { Db } from "../../../server/db/client.ts";
import { seedVendorLayer } from "../../../server/config/seed-vendor-layer.ts";
import { freshDatabase } from "../db.ts";

const session = vi.hoisted(() => ({ role: null as TRole | null }));
vi.mock("next/headers", () => ({ headers: async () => new Headers(), cookies: async () => ({ get: () => undefined, getAll: () => [], set: () => {}, delete: () => {} }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("../../../server/auth/actor.ts", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../../server/auth/actor.ts")>()),
  actorFromHeaders: async (): Promise<Actor | null> =>
    session.role && { id: `${session.role}-id`, name: session.role, email: `${session.role}@example.test`, role: session.role, sessionId: `${session.role}-session`, ip: "10.2.2.2" },
}));

const { PERMISSIONS } = await import("../../../server/auth/roles.ts");
const ROOT = path.resolve(import.meta.dirname, "../../..");
const MODULE_FILES = readdirSync(path.join(ROOT, "app"), { recursive: true, encoding: "utf8" })
  .filter((f) => path.basename(f) === "actions.ts")
  .map((f) => path.join("app", f))
  .sort();

const form = (fields: Record<string, string> = {}) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
};
const initial = { ok: false };
const NOBODY = "00000000-0000-4000-8000-000000000000";

/** How each caller must be answered: a permission of roles.ts, or a rule of its own. */
type Rule = { permission: TPermission } | { signedIn: "any" } | { setupOnly: true };
type Case = { label: string; rule: Rule; args: () => unknown[] };

// Keyed "file#export". Placeholder inputs never name an existing row, so callers allowed
// through get a validation or not-found answer and the database stays as seeded.
const CASES: Record<string, Case[]> = {
  "app/(auth)/setup/actions.ts#setupAction": [
    { label: "create the first admin", rule: { setupOnly: true }, args: () => [initial, form({ name: "Eve", email: "eve@example.test", password: "long enough password", confirm: "long enough password" })] },
  ],
  "app/(console)/actions.ts#signOutAction": [{ label: "sign out", rule: { signedIn: "any" }, args: () => [] }],
  "app/(console)/agents/actions.ts#createAgentTokenAction": [{ label: "", rule: { permission: "agent:manage" }, args: () => [initial, form({ name: "" })] }],
  "app/(console)/agents/actions.ts#revokeAgentTokenAction": [{ label: "", rule: { permission: "agent:manage" }, args: () => [initial, form({ id: NOBODY })] }],
  "app/(console)/agents/actions.ts#retireAgentAction": [{ label: "", rule: { permission: "agent:manage" }, args: () => [initial, form({ id: NOBODY })] }],
  "app/(console)/configuration/actions.ts#createLayerAction": [{ label: "", rule: { permission: "config:write" }, args: () => [initial, form({ name: "" })] }],
  "app/(console)/configuration/actions.ts#updateLayerAction": [{ label: "", rule: { permission: "config:write" }, args: () => [initial, form({ layerId: NOBODY, name: "x" })] }],
  "app/(console)/configuration/actions.ts#deleteLayerAction": [{ label: "", rule: { permission: "config:write" }, args: () => [initial, form({ layerId: NOBODY })] }],
  "app/(console)/configuration/actions.ts#reorderLayersAction": [{ label: "", rule: { permission: "config:write" }, args: () => [initial, form({ layerId: NOBODY })] }],
  "app/(console)/configuration/actions.ts#saveElementAction": [{ label: "", rule: { permission: "config:write" }, args: () => [initial, form({ layerId: NOBODY, baseRevision: "1", kind: "network", sourceType: "network", sourceName: "a", targetType: "network", targetName: "b" })] }],
  "app/(console)/configuration/actions.ts#deleteElementAction": [{ label: "", rule: { permission: "config:write" }, args: () => [initial, form({ layerId: NOBODY, baseRevision: "1", kind: "app", index: "0" })] }],
  "app/(console)/configuration/actions.ts#moveElementAction": [{ label: "", rule: { permission: "config:write" }, args: () => [initial, form({ layerId: NOBODY, baseRevision: "1", kind: "app", index: "0", direction: "up" })] }],
  "app/(console)/configuration/actions.ts#setPathRootAction": [{ label: "", rule: { permission: "config:write" }, args: () => [initial, form({ layerId: NOBODY, baseRevision: "1", pathRoot: "/x" })] }],
  "app/(console)/configuration/actions.ts#restoreRevisionAction": [{ label: "", rule: { permission: "config:write" }, args: () => [initial, form({ layerId: NOBODY, baseRevision: "1", number: "1" })] }],
  "app/(console)/configuration/actions.ts#previewImportAction": [{ label: "", rule: { permission: "config:write" }, args: () => [initial, form({ layerId: NOBODY, text: "<virt-v2v/>" })] }],
  "app/(console)/configuration/actions.ts#applyImportAction": [{ label: "", rule: { permission: "config:write" }, args: () => [initial, form({ layerId: NOBODY, baseRevision: "1", text: "<virt-v2v/>" })] }],
  "app/(console)/configuration/actions.ts#explainMatchAction": [{ label: "", rule: { permission: "config:read" }, args: () => [initial, form({ kind: "app", name: "virtio", os: "linux" })] }],
  "app/(console)/configuration/actions.ts#diffRevisionsAction": [{ label: "", rule: { permission: "config:read" }, args: () => [NOBODY] }],
  "app/(console)/conversions/actions.ts#createConversionAction": [{ label: "", rule: { permission: "conversion:start" }, args: () => [initial, form({ "source.method": "libvirtxml", "source.xml": "", "output.method": "libvirt" })] }],
  "app/(console)/conversions/actions.ts#conversionRowAction": (["cancel", "start", "retry", "replan"] as const).map((action) => ({
    label: action,
    rule: { permission: ({ cancel: "conversion:cancel", start: "conversion:start", retry: "conversion:retry", replan: "conversion:start" } as const)[action] },
    args: () => [initial, form({ id: NOBODY, action })],
  })),
  "app/(console)/settings/tokens/actions.ts#createApiTokenAction": [{ label: "", rule: { permission: "token:manage" }, args: () => [initial, form({ name: "" })] }],
  "app/(console)/settings/tokens/actions.ts#revokeApiTokenAction": [{ label: "", rule: { permission: "token:manage" }, args: () => [initial, form({ id: NOBODY })] }],
  "app/(console)/software/actions.ts#createRepositoryAction": [{ label: "", rule: { permission: "software:write" }, args: () => [initial, form({ name: "" })] }],
  "app/(console)/software/actions.ts#renameRepositoryAction": [{ label: "", rule: { permission: "software:write" }, args: () => [initial, form({ id: NOBODY, name: "x" })] }],
  "app/(console)/software/actions.ts#deleteRepositoryAction": [{ label: "", rule: { permission: "software:write" }, args: () => [initial, form({ id: NOBODY })] }],
  "app/(console)/software/actions.ts#deleteFileAction": [{ label: "", rule: { permission: "software:write" }, args: () => [initial, form({ repositoryId: NOBODY, path: "x.rpm" })] }],
  "app/(console)/users/actions.ts#createUserAction": [{ label: "", rule: { permission: "user:create" }, args: () => [initial, form({ name: "" })] }],
  "app/(console)/users/actions.ts#setRoleAction": [{ label: "", rule: { permission: "user:update-role" }, args: () => [initial, form({ userId: NOBODY, role: "viewer" })] }],
  "app/(console)/users/actions.ts#revokeSessionsAction": [{ label: "", rule: { permission: "user:revoke-sessions" }, args: () => [initial, form({ userId: NOBODY })] }],
};

type Outcome = { kind: "unauthenticated" } | { kind: "forbidden"; message: string } | { kind: "redirect"; to: string } | { kind: "passed"; answer: unknown };

/** What the caller saw: the action's answer, or Next's redirect (thrown, as `redirect()` does). */
async function outcome(fn: (...a: unknown[]) => Promise<unknown>, args: unknown[]): Promise<Outcome> {
  try {
    const answer = await fn(...args);
    const message = (answer as { message?: unknown } | undefined)?.message;
    if (message === "Sign in to continue.") return { kind: "unauthenticated" };
    if (typeof message === "string" && message.startsWith("Your role (")) return { kind: "forbidden", message };
    return { kind: "passed", answer };
  } catch (e) {
    const digest = (e as { digest?: unknown }).digest;
    if (typeof digest === "string" && digest.startsWith("NEXT_REDIRECT")) return { kind: "redirect", to: digest.split(";")[2] ?? "" };
    throw e;
  }
}

function expected(rule: Rule, role: TRole | null): Outcome["kind"] | { forbidden: string } | "passed-or-redirect" {
  if ("setupOnly" in rule) return "passed"; // checked below: refused because users exist
  if ("signedIn" in rule) return "redirect";
  if (!role) return "unauthenticated";
  return (PERMISSIONS[rule.permission] as readonly TRole[]).includes(role) ? "passed" : { forbidden: `Your role (${role}) does not allow this (${rule.permission}).` };
}

let prisma: Db;
let tables: string[] = [];
async function rowCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = Number((await prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${t}"`))[0]!.n);
  return out;
}

beforeAll(async () => {
  const fresh = await freshDatabase("actions_access");
  prisma = fresh.prisma;
  process.env.DATABASE_URL = fresh.url;
  await seedVendorLayer(prisma);
  for (const role of ROLES) await prisma.user.create({ data: { id: `${role}-id`, name: role, email: `${role}@example.test`, role } });
  tables = (await prisma.$queryRaw<{ t: string }[]>`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`).map((r) => r.t);
});
afterAll(async () => prisma?.$disconnect());

describe("every server action, as every kind of caller", () => {
  test("the table lists exactly the exported actions of every app/**/actions.ts", async () => {
    const found: string[] = [];
    for (const file of MODULE_FILES) {
      const mod = (await import(path.join(ROOT, file))) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) if (typeof value === "function") found.push(`${file}#${name}`);
    }
    expect(MODULE_FILES.length).toBeGreaterThanOrEqual(8);
    expect(found.sort()).toEqual(Object.keys(CASES).sort());
  });

  const rows = Object.entries(CASES).flatMap(([key, cases]) => cases.map((c) => ({ key, c })));
  for (const { key, c } of rows) {
    test(`${key}${c.label ? ` (${c.label})` : ""}`, async () => {
      const [file, name] = key.split("#") as [string, string];
      const fn = ((await import(path.join(ROOT, file))) as Record<string, (...a: unknown[]) => Promise<unknown>>)[name]!;
      for (const role of [null, ...ROLES] as const) {
        session.role = role;
        const before = await rowCounts();
        const got = await outcome(fn, c.args());
        const want = expected(c.rule, role);
        const who = role ?? "anonymous";
        if (want === "unauthenticated") expect(got, who).toEqual({ kind: "unauthenticated" });
        else if (typeof want === "object") expect(got, who).toEqual({ kind: "forbidden", message: want.forbidden });
        else if (want === "redirect") expect(got, who).toEqual({ kind: "redirect", to: "/sign-in" });
        else if ("setupOnly" in c.rule) expect(got, who).toEqual({ kind: "passed", answer: { ok: false, message: "Ferry is already set up: sign in, or ask an admin for an account." } });
        else expect(got.kind, `${who}: ${JSON.stringify(got)}`).toBe("passed");
        // Placeholder inputs name nothing that exists: allowed or not, nothing is written.
        expect(await rowCounts(), who).toEqual(before);
      }
    });
  }
});
