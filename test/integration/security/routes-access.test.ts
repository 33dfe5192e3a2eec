// Every route handler under app/api outside /api/v1 (which test/integration/api/access.test.ts
// walks through its route table) and better-auth's own (test/e2e/hardening.test.ts): the agent
// protocol, downloads, uploads, exports, health. The route modules are imported and their
// exported methods enumerated, so a new route missing from ROUTES fails this test. Sessions are
// stubbed from a test header; agent tokens, roles and the database are real. The rule: no
// session (or, for agent routes, no / unknown / revoked agent token) -> 401; a role without
// the permission -> 403; a refused call writes nothing.
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { Actor } from "../../../server/auth/actor.ts";
import { isRole, ROLES, type TPermission, type TRole } from "../../../server/auth/roles.ts";
import type { Db } from "../../../server/db/client.ts";
import { freshDatabase } from "../db.ts";

vi.mock("../../../server/auth/actor.ts", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../../server/auth/actor.ts")>()),
  actorFromHeaders: async (headers: Headers): Promise<Actor | null> => {
    const role = headers.get("x-test-session-role");
    return isRole(role) ? { id: `${role}-id`, name: role, email: `${role}@example.test`, role, sessionId: "s", ip: null } : null;
  },
}));

const { PERMISSIONS } = await import("../../../server/auth/roles.ts");
const { createAgentToken, revokeAgentToken } = await import("../../../server/agents/tokens.ts");
const ROOT = path.resolve(import.meta.dirname, "../../..");
const NOBODY = "00000000-0000-4000-8000-000000000000";

type Access = { permission: TPermission } | { agent: true } | { public: true };
type Route = { access: Access; url: string; params: Record<string, string>; body?: string };

// Keyed "file METHOD". Placeholder ids and bodies name nothing that exists.
const ROUTES: Record<string, Route> = {
  "app/api/agent/register/route.ts POST": { access: { agent: true }, url: "/api/agent/register", params: {}, body: "{}" },
  "app/api/agent/heartbeat/route.ts POST": { access: { agent: true }, url: "/api/agent/heartbeat", params: {}, body: "{}" },
  "app/api/agent/claim/route.ts POST": { access: { agent: true }, url: "/api/agent/claim", params: {}, body: "{}" },
  "app/api/agent/logs/route.ts POST": { access: { agent: true }, url: "/api/agent/logs", params: {}, body: "{}" },
  "app/api/agent/progress/route.ts POST": { access: { agent: true }, url: "/api/agent/progress", params: {}, body: "{}" },
  "app/api/agent/outputs/route.ts POST": { access: { agent: true }, url: "/api/agent/outputs", params: {}, body: "{}" },
  "app/api/agent/result/route.ts POST": { access: { agent: true }, url: "/api/agent/result", params: {}, body: "{}" },
  "app/api/conversions/[id]/log/route.ts GET": { access: { permission: "conversion:read" }, url: `/api/conversions/${NOBODY}/log`, params: { id: NOBODY } },
  "app/api/config/export/[fileName]/route.ts GET": { access: { permission: "config:read" }, url: "/api/config/export/99-nothing.conf", params: { fileName: "99-nothing.conf" } },
  "app/api/config/layers/[id]/export/route.ts GET": { access: { permission: "config:read" }, url: `/api/config/layers/${NOBODY}/export`, params: { id: NOBODY } },
  "app/api/audit/export/route.ts GET": { access: { permission: "audit:read" }, url: "/api/audit/export?format=bogus", params: {} },
  "app/api/repositories/route.ts GET": { access: { permission: "software:read" }, url: "/api/repositories", params: {} },
  "app/api/repositories/route.ts POST": { access: { permission: "software:write" }, url: "/api/repositories", params: {}, body: "{}" },
  "app/api/repositories/[id]/files/route.ts GET": { access: { permission: "software:read" }, url: `/api/repositories/${NOBODY}/files`, params: { id: NOBODY } },
  "app/api/repositories/[id]/files/route.ts POST": { access: { permission: "software:write" }, url: `/api/repositories/${NOBODY}/files?path=rhel/x.rpm`, params: { id: NOBODY }, body: "rpm bytes" },
  "app/api/repositories/[id]/files/route.ts DELETE": { access: { permission: "software:write" }, url: `/api/repositories/${NOBODY}/files?path=rhel/x.rpm`, params: { id: NOBODY } },
  "app/api/repositories/[id]/files/download/route.ts GET": { access: { permission: "software:read" }, url: `/api/repositories/${NOBODY}/files/download?path=rhel/x.rpm`, params: { id: NOBODY } },
  "app/api/health/route.ts GET": { access: { public: true }, url: "/api/health", params: {} },
};
/** Walked elsewhere: /api/v1 by its route table (access.test.ts), better-auth end to end. */
const ELSEWHERE = ["app/api/v1/", "app/api/auth/"];

type Caller = { name: string; session?: TRole; agentToken?: "good" | "revoked" | "unknown"; role: TRole | null };
const CALLERS: Caller[] = [
  { name: "anonymous", role: null },
  ...ROLES.map((role): Caller => ({ name: `${role} session`, session: role, role })),
  { name: "agent token", agentToken: "good", role: null },
  { name: "revoked agent token", agentToken: "revoked", role: null },
  { name: "unknown agent token", agentToken: "unknown", role: null },
  { name: "admin session + revoked agent token", session: "admin", agentToken: "revoked", role: "admin" },
];

function expected(access: Access, caller: Caller): 401 | 403 | "allowed" {
  if ("public" in access) return "allowed";
  if ("agent" in access) return caller.agentToken === "good" ? "allowed" : 401;
  if (!caller.role) return 401;
  return (PERMISSIONS[access.permission] as readonly TRole[]).includes(caller.role) ? "allowed" : 403;
}

let prisma: Db;
let tables: string[] = [];
const agentTokens: Record<string, string> = { unknown: "ferry_agt_not-a-token" };
async function rowCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = Number((await prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${t}"`))[0]!.n);
  return out;
}

beforeAll(async () => {
  const fresh = await freshDatabase("routes_access");
  prisma = fresh.prisma;
  process.env.DATABASE_URL = fresh.url;
  for (const role of ROLES) await prisma.user.create({ data: { id: `${role}-id`, name: role, email: `${role}@example.test`, role } });
  const admin = { id: "admin-id", email: "admin@example.test", ip: null };
  agentTokens.good = (await createAgentToken(prisma, admin, { name: "rack-1" })).secret;
  const old = await createAgentToken(prisma, admin, { name: "rack-0" });
  await revokeAgentToken(prisma, admin, old.token.id);
  agentTokens.revoked = old.secret;
  tables = (await prisma.$queryRaw<{ t: string }[]>`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`).map((r) => r.t);
});
afterAll(async () => prisma?.$disconnect());

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

describe("every route handler outside /api/v1, as every kind of caller", () => {
  test("the table lists exactly the exported methods of every app/api/**/route.ts", async () => {
    const files = readdirSync(path.join(ROOT, "app/api"), { recursive: true, encoding: "utf8" })
      .filter((f) => path.basename(f) === "route.ts")
      .map((f) => path.join("app/api", f))
      .filter((f) => !ELSEWHERE.some((e) => f.startsWith(e)));
    const found: string[] = [];
    for (const file of files) {
      const mod = (await import(path.join(ROOT, file))) as Record<string, unknown>;
      for (const m of METHODS) if (typeof mod[m] === "function") found.push(`${file} ${m}`);
    }
    expect(found.sort()).toEqual(Object.keys(ROUTES).sort());
  });

  test.each(Object.entries(ROUTES))("%s", async (key, route) => {
    const [file, method] = key.split(" ") as [string, string];
    const handler = ((await import(path.join(ROOT, file))) as Record<string, (r: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response>>)[method]!;
    const problems: string[] = [];
    for (const caller of CALLERS) {
      const headers = new Headers();
      if (caller.session) headers.set("x-test-session-role", caller.session);
      if (caller.agentToken) headers.set("authorization", `Bearer ${agentTokens[caller.agentToken]}`);
      if (route.body !== undefined) headers.set("content-type", route.body.startsWith("{") ? "application/json" : "application/octet-stream");
      const before = await rowCounts();
      const res = await handler(new Request(`http://ferry.test${route.url}`, { method, headers, body: route.body }), { params: Promise.resolve(route.params) });
      const want = expected(route.access, caller);
      const got = res.status === 401 || res.status === 403 ? res.status : "allowed";
      const text = await res.text();
      if (got !== want) problems.push(`${caller.name}: expected ${want}, got ${res.status} ${text}`);
      if (got !== "allowed" && JSON.stringify(await rowCounts()) !== JSON.stringify(before)) problems.push(`${caller.name}: refused but wrote`);
      if (res.status >= 400 && !/"error":\{"code":"[A-Z_]+","message":"[^"]+/.test(text)) problems.push(`${caller.name}: ${res.status} without {error: {code, message}}: ${text}`);
    }
    expect(problems).toEqual([]);
  });

  test("a revoked agent token is told so, and so is a caller with none", async () => {
    const { POST } = await import("../../../app/api/agent/heartbeat/route.ts");
    const call = async (authorization?: string) => {
      const res = await POST(new Request("http://ferry.test/api/agent/heartbeat", { method: "POST", headers: authorization ? { authorization } : {}, body: "{}" }));
      return { status: res.status, error: ((await res.json()) as { error: unknown }).error };
    };
    expect(await call(`Bearer ${agentTokens.revoked}`)).toMatchObject({ status: 401, error: { code: "UNAUTHENTICATED", message: expect.stringMatching(/^The agent token rack-0 was revoked on \d{4}-/) } });
    expect(await call()).toMatchObject({ status: 401, error: { code: "UNAUTHENTICATED", message: expect.stringContaining("This route needs an agent token") } });
  });
});
