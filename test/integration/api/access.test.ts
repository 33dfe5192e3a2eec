// Every documented /api/v1 route walked as each kind of caller, through the real dispatcher
// (tokens, roles, validation and the database are real; only the browser session is stubbed
// from a test header). The rule checked: anonymous callers and revoked or expired tokens get
// 401; a role without the route's permission gets 403; read-only tokens get 403 on anything
// but GET; tokens get 403 on session-only routes; everyone else gets past authorization (their
// answer may still be 404 or 422 for the placeholder input, never 401/403).
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { Actor } from "../../../server/auth/actor.ts";
import { isRole, type TRole } from "../../../server/auth/roles.ts";
import type { Db } from "../../../server/db/client.ts";
import { seedVendorLayer } from "../../../server/config/seed-vendor-layer.ts";
import { freshDatabase } from "../db.ts";

vi.mock("../../../server/auth/actor.ts", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../../server/auth/actor.ts")>()),
  actorFromHeaders: async (headers: Headers): Promise<Actor | null> => {
    const role = headers.get("x-test-session-role");
    return isRole(role) ? { id: `${role}-id`, name: role, email: `${role}@example.test`, role, sessionId: "s", ip: null } : null;
  },
}));

const { handleApiRequest } = await import("../../../server/api/handle.ts");
const { ROUTES } = await import("../../../server/api/routes.ts");
const { PERMISSIONS } = await import("../../../server/auth/roles.ts");
const { createApiToken, revokeApiToken } = await import("../../../server/auth/api-tokens.ts");

const pv = readFileSync(path.resolve(import.meta.dirname, "../../fixtures/domains/xen-pv-pygrub.xml"), "utf8");
let prisma: Db;
const tokens: Record<string, string> = {};
let conversionId = "";

async function user(role: TRole): Promise<{ id: string; email: string }> {
  const u = await prisma.user.create({ data: { id: `${role}-id`, name: role, email: `${role}@example.test`, role } });
  return { id: u.id, email: u.email };
}

function call(method: string, route: string, auth: { token?: string; session?: TRole }, body?: unknown): Promise<Response> {
  const headers = new Headers();
  if (auth.token) headers.set("authorization", `Bearer ${auth.token}`);
  if (auth.session) headers.set("x-test-session-role", auth.session);
  if (body !== undefined) headers.set("content-type", "application/json");
  const request = new Request(`http://ferry.test/api/v1${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return handleApiRequest(request, route.split("?")[0]!.split("/").filter(Boolean));
}

beforeAll(async () => {
  const fresh = await freshDatabase("api_access");
  prisma = fresh.prisma;
  process.env.DATABASE_URL = fresh.url;
  await seedVendorLayer(prisma);
  for (const role of ["admin", "operator", "viewer"] as const) {
    const owner = await user(role);
    tokens[role] = (await createApiToken(prisma, owner, { name: `${role} script`, expiresInDays: 7 })).secret;
    tokens[`${role}-ro`] = (await createApiToken(prisma, owner, { name: `${role} read-only`, expiresInDays: 7, readOnly: true })).secret;
  }
  const admin = { id: "admin-id", email: "admin@example.test", role: "admin" };
  const revoked = await createApiToken(prisma, admin, { name: "old", expiresInDays: 7 });
  await revokeApiToken(prisma, admin, revoked.token.id);
  tokens.revoked = revoked.secret;
  tokens.expired = (await createApiToken(prisma, admin, { name: "lapsed", expiresInDays: 1 }, new Date(Date.now() - 2 * 86_400_000))).secret;
  const created = await call("POST", "/conversions", { token: tokens.operator }, { source: { method: "libvirtxml", xml: pv }, output: { method: "libvirt", storage: "default" }, dryRun: true });
  expect(created.status).toBe(201);
  conversionId = ((await created.json()) as { id: string }).id;
});
afterAll(async () => prisma?.$disconnect());

type Caller = { name: string; token?: string; session?: TRole; role: TRole | null; kind: "anonymous" | "session" | "token" | "read-only" | "dead" };
const CALLERS: Caller[] = [
  { name: "anonymous", role: null, kind: "anonymous" },
  ...(["viewer", "operator", "admin"] as const).flatMap((role): Caller[] => [
    { name: `${role} token`, role, kind: "token", get token() { return tokens[role]; } },
    { name: `${role} read-only token`, role, kind: "read-only", get token() { return tokens[`${role}-ro`]; } },
    { name: `${role} session`, role, kind: "session", session: role },
  ]),
  { name: "revoked token", role: "admin", kind: "dead", get token() { return tokens.revoked; } },
  { name: "expired token", role: "admin", kind: "dead", get token() { return tokens.expired; } },
];

function expected(route: (typeof ROUTES)[number], caller: Caller): 401 | 403 | "allowed" {
  const access = route.access;
  if ("public" in access) return caller.kind === "dead" ? 401 : "allowed";
  if (caller.kind === "anonymous" || caller.kind === "dead") return 401;
  if (!(PERMISSIONS[access.permission] as readonly string[]).includes(caller.role!)) return 403;
  if ("session" in access && caller.kind !== "session") return 403;
  if (caller.kind === "read-only" && route.method !== "GET") return 403;
  return "allowed";
}

describe("every documented route, as every kind of caller", () => {
  test.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))("%s", async (_name, route) => {
    const concrete = route.path.replace("{id}", route.path.startsWith("/conversions") ? conversionId : "00000000-0000-4000-8000-000000000000");
    const query = route.query && "path" in route.query.shape ? "?path=rhel/5/none.rpm" : "";
    const outcomes: string[] = [];
    for (const caller of CALLERS) {
      const body = route.body === undefined || route.body === "binary" ? undefined : {};
      const res = await call(route.method, concrete + query, { token: caller.token, session: caller.session }, body);
      const want = expected(route, caller);
      const got = res.status === 401 || res.status === 403 ? res.status : "allowed";
      if (got !== want) outcomes.push(`${caller.name}: expected ${want}, got ${res.status} ${await res.text()}`);
      if (res.status >= 400 && res.headers.get("content-type")?.includes("json")) {
        const error = ((await res.clone().json()) as { error?: { code?: string; message?: string } }).error;
        if (!error?.code || !error.message) outcomes.push(`${caller.name}: error without {error: {code, message}}`);
      }
    }
    expect(outcomes).toEqual([]);
  });

  test("the refusals say why: unknown, revoked, expired, read-only, role, session-only", async () => {
    const body = async (r: Response) => ((await r.json()) as { error: { code: string; message: string } }).error;
    expect(await body(await call("GET", "/agents", { token: "ferry_pat_nope" }))).toEqual({ code: "UNAUTHENTICATED", message: "The API token is not valid (unknown token)." });
    expect((await body(await call("GET", "/agents", { token: tokens.revoked }))).message).toMatch(/^The API token old was revoked on \d{4}-/);
    expect((await body(await call("GET", "/agents", { token: tokens.expired }))).message).toMatch(/^The API token lapsed expired on \d{4}-/);
    expect(await body(await call("POST", `/conversions/${conversionId}/cancel`, { token: tokens["admin-ro"] }))).toEqual({ code: "FORBIDDEN", message: "This API token is read-only: it may not POST /conversions/{id}/cancel." });
    expect(await body(await call("GET", "/audit", { token: tokens.operator }))).toEqual({ code: "FORBIDDEN", message: "Your role (operator) does not allow this (audit:read)." });
    expect((await body(await call("POST", "/tokens", { token: tokens.admin }, { name: "x" }))).code).toBe("FORBIDDEN");
    expect(await body(await call("GET", "/agents", { token: "agent-secret-not-pat" }))).toMatchObject({ code: "UNAUTHENTICATED" });
  });

  test("each mutating call made with a token is audited with the token and the outcome", async () => {
    const rows = await prisma.auditEvent.findMany({ where: { action: "api-token.use" }, orderBy: { id: "asc" } });
    expect(rows.length).toBeGreaterThan(10);
    expect(rows[0]).toMatchObject({ actorEmail: "operator@example.test", targetType: "api-token", after: { method: "POST", path: "/conversions", status: 201 } });
    const creations = await prisma.auditEvent.count({ where: { action: "api-token.create" } });
    expect(creations).toBe(8);
    expect(await prisma.auditEvent.count({ where: { action: "api-token.revoke" } })).toBeGreaterThanOrEqual(1);
  });
});
