// What a script does with /api/v1, through the real dispatcher and database: create a token in
// a session, queue a conversion, list it with the console's filters, read its log after a seq,
// cancel and retry it; upload a file to a repository and download it back; read the stack's
// profiles; revoke the token. (The browser session is stubbed from a test header.)
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { Actor } from "../../../server/auth/actor.ts";
import { isRole } from "../../../server/auth/roles.ts";
import type { Db } from "../../../server/db/client.ts";
import { seedVendorLayer } from "../../../server/config/seed-vendor-layer.ts";
import { freshDatabase } from "../db.ts";
import { scratch } from "../engine/helpers.ts";

vi.mock("../../../server/auth/actor.ts", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../../server/auth/actor.ts")>()),
  actorFromHeaders: async (headers: Headers): Promise<Actor | null> => {
    const role = headers.get("x-test-session-role");
    return isRole(role) ? { id: `${role}-id`, name: role, email: `${role}@example.test`, role, sessionId: "s", ip: "10.2.2.2" } : null;
  },
}));

const { handleApiRequest } = await import("../../../server/api/handle.ts");
const pv = readFileSync(path.resolve(import.meta.dirname, "../../fixtures/domains/xen-pv-pygrub.xml"), "utf8");
const tmp = scratch("api-flows");
let prisma: Db;

type Auth = { token?: string; session?: string };
async function call<T = Record<string, unknown>>(method: string, route: string, auth: Auth, body?: unknown, raw?: BodyInit): Promise<{ status: number; json: T; response: Response }> {
  const headers = new Headers();
  if (auth.token) headers.set("authorization", `Bearer ${auth.token}`);
  if (auth.session) headers.set("x-test-session-role", auth.session);
  const init: RequestInit & { duplex?: string } = { method, headers };
  if (body !== undefined) {
    headers.set("content-type", "application/json");
    init.body = JSON.stringify(body);
  } else if (raw !== undefined) {
    init.body = raw;
    init.duplex = "half";
  }
  const response = await handleApiRequest(new Request(`http://ferry.test/api/v1${route}`, init), route.split("?")[0]!.split("/").filter(Boolean));
  const type = response.headers.get("content-type") ?? "";
  const json = (type.includes("json") ? await response.clone().json() : {}) as T;
  return { status: response.status, json, response };
}

beforeAll(async () => {
  const fresh = await freshDatabase("api_flows");
  prisma = fresh.prisma;
  process.env.DATABASE_URL = fresh.url;
  process.env.FERRY_DATA_DIR = tmp.dir;
  await seedVendorLayer(prisma);
  for (const role of ["admin", "operator"]) await prisma.user.create({ data: { id: `${role}-id`, name: role, email: `${role}@example.test`, role } });
});
afterAll(async () => {
  await prisma?.$disconnect();
  tmp.cleanup();
});

describe("a script's session with the API", () => {
  let operator = "";
  let admin = "";

  test("tokens are created in a session, shown once, listed without their secret", async () => {
    const created = await call<{ token: { id: string; prefix: string; readOnly: boolean }; secret: string }>("POST", "/tokens", { session: "operator" }, { name: "nightly", expiresInDays: 10 });
    expect(created.status).toBe(201);
    operator = created.json.secret;
    expect(operator).toMatch(/^ferry_pat_[A-Za-z0-9_-]{32}$/);
    expect(created.json.token).toMatchObject({ prefix: operator.slice(0, 16), readOnly: false });
    admin = (await call<{ secret: string }>("POST", "/tokens", { session: "admin" }, { name: "admin script" })).json.secret;
    const listed = await call("GET", "/tokens", { token: operator });
    expect(JSON.stringify(listed.json)).not.toContain(operator);
    expect(listed.json).toMatchObject({ tokens: [{ name: "nightly" }] });
    const stored = await prisma.apiToken.findFirstOrThrow({ where: { name: "nightly" } });
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.tokenHash).not.toContain(operator);
    const bad = await call("POST", "/tokens", { session: "operator" }, { name: "", expiresInDays: 999 });
    expect(bad.status).toBe(422);
    expect(bad.json).toMatchObject({ error: { code: "INVALID_INPUT", fields: { name: [expect.any(String)], expiresInDays: [expect.any(String)] } } });
  });

  test("a conversion is queued, listed with filters, its log read after a seq, cancelled and retried", async () => {
    const bad = await call("POST", "/conversions", { token: operator }, { source: { method: "libvirtxml", xml: pv }, output: { method: "local", storage: "relative/dir", allocation: "thin" } });
    expect(bad.status).toBe(422);
    expect(bad.json).toMatchObject({ error: { code: "INVALID_INPUT", fields: { "output.allocation": ["allocation scheme must be sparse or preallocated"] } } });
    const semantic = await call("POST", "/conversions", { token: operator }, { source: { method: "libvirtxml", xml: pv }, output: { method: "local", storage: "relative/dir" }, network: ["a:b", "a:c"] });
    expect(semantic.status).toBe(422);
    expect(semantic.json).toMatchObject({ error: { fields: { "output.storage": ["-o local writes to a directory: give its absolute path, not relative/dir."], "network.1": [expect.stringContaining("Duplicate mappings specified for network a")] } } });

    const created = await call<{ id: string; number: number; status: string; guestName: string }>("POST", "/conversions", { token: operator }, { source: { method: "libvirtxml", xml: pv, fileName: "pv.xml" }, output: { method: "local", storage: "/var/tmp/out", format: "qcow2" } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ number: 1, status: "queued", guestName: "XenGuest1" });
    const id = created.json.id;
    await prisma.conversionLog.createMany({ data: [0, 1, 2].map((seq) => ({ conversionId: id, attempt: 0, seq, level: "info", stage: "source", message: `line ${seq}` })) });

    expect((await call("GET", "/conversions?status=queued&guest=Xen", { token: operator })).json).toMatchObject({ total: 1, items: [{ id }] });
    expect((await call("GET", "/conversions?status=failed", { token: operator })).json).toMatchObject({ total: 0 });
    expect((await call("GET", "/conversions?status=nonsense", { token: operator })).json).toEqual({ error: { code: "INVALID_INPUT", message: "Check the query parameters.", fields: { status: ["Statuses are queued, running, planned, succeeded, failed, cancelled, interrupted (comma-separated)."] } } });
    const all = await call<{ lines: { seq: number; message: string }[]; status: string }>("GET", `/conversions/${id}/log?attempt=0`, { token: operator });
    expect(all.json.lines.map((l) => l.message)).toEqual(["line 0", "line 1", "line 2"]);
    const after = await call<{ lines: { seq: number }[] }>("GET", `/conversions/${id}/log?attempt=0&after=1`, { token: operator });
    expect(after.json.lines.map((l) => l.seq)).toEqual([2]);
    expect((await call("GET", `/conversions/${id}`, { token: operator })).json).toMatchObject({ id, status: "queued", request: { output: { method: "local", storage: "/var/tmp/out" } } });

    expect((await call("POST", `/conversions/${id}/cancel`, { token: operator })).json).toMatchObject({ status: "cancelled" });
    const again = await call("POST", `/conversions/${id}/cancel`, { token: operator });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ error: { code: "CONFLICT" } });
    expect((await call("POST", `/conversions/${id}/retry`, { token: operator }, {})).json).toMatchObject({ status: "queued" });
    expect((await call("GET", "/conversions/nope", { token: operator })).status).toBe(404);

    const audit = await prisma.auditEvent.findMany({ where: { OR: [{ targetId: id }, { action: "api-token.use" }] }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["conversion.create", "conversion.cancel", "conversion.retry", "api-token.use"]));
    expect(audit.find((a) => a.action === "conversion.create")).toMatchObject({ actorEmail: "operator@example.test" });
  });

  test("a repository file goes up and comes back byte for byte; the stack's profiles are listed", async () => {
    const repo = await call<{ repository: { id: string } }>("POST", "/repositories", { token: admin }, { name: "RHEL kernels" });
    expect(repo.status).toBe(201);
    const rid = repo.json.repository.id;
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 7) % 251);
    const up = await call("PUT", `/repositories/${rid}/files?path=rhel/5/kernel.rpm`, { token: admin }, undefined, bytes);
    expect(up.status).toBe(201);
    expect((await call("PUT", `/repositories/${rid}/files?path=rhel/5/kernel.rpm`, { token: operator }, undefined, bytes)).status).toBe(403);
    const down = await call("GET", `/repositories/${rid}/files/download?path=rhel/5/kernel.rpm`, { token: operator });
    expect(down.status).toBe(200);
    expect(new Uint8Array(await down.response.arrayBuffer())).toEqual(bytes);
    expect((await call("GET", `/repositories/${rid}/files`, { token: operator })).json).toMatchObject({ files: [expect.objectContaining({ path: "rhel/5/kernel.rpm" })] });
    const profiles = await call<{ layers: { layer: string; kind: string; items: unknown[] }[] }>("GET", "/profiles", { token: operator });
    expect(profiles.json.layers[0]).toMatchObject({ kind: "vendor" });
  });

  test("a layer is created, a virt-v2v.conf imported into it (a conflict when stale), exported back, and its profile listed", async () => {
    const created = await call<{ layer: { id: string; headRevision: number } }>("POST", "/layers", { token: admin }, { name: "Site" });
    expect(created.status).toBe(201);
    const id = created.json.layer.id;
    expect((await call("POST", "/layers", { token: operator }, { name: "Lab" })).status).toBe(403);
    const conf = `<virt-v2v>
  <profile name='prod'><method>libvirt</method><storage format='qcow2' allocation='sparse'>images</storage></profile>
  <network type='bridge' name='xenbr0'><network type='network' name='default'/></network>
</virt-v2v>`;
    const imported = await call("POST", `/layers/${id}/import`, { token: admin }, { baseRevision: created.json.layer.headRevision, text: conf, fileName: "site.conf" });
    expect(imported.status).toBe(200);
    const stale = await call<{ error: { code: string; message: string } }>("POST", `/layers/${id}/import`, { token: admin }, { baseRevision: created.json.layer.headRevision, text: conf });
    expect(stale.status).toBe(409);
    expect(stale.json.error.code).toBe("CONFLICT");
    const bad = await call<{ error: { message: string } }>("POST", `/layers/${id}/import`, { token: admin }, { baseRevision: 1, text: "<virt-v2v><profile name='x'>" });
    expect(bad.status).toBe(422);
    expect(bad.json.error.message).toContain("virt-v2v.conf:1:11: malformed XML: unclosed tag <profile>");
    const exported = await call<{ fileName: string; text: string }>("GET", `/layers/${id}/export`, { token: operator });
    expect(exported.status).toBe(200);
    expect(exported.json.text).toContain("<profile name=\"prod\">");
    const profiles = await call<{ layers: { layer: string; items: { name?: string }[] }[] }>("GET", "/profiles", { token: operator });
    expect(profiles.json.layers.find((l) => l.layer === "Site")?.items.map((p) => p.name)).toEqual(["prod"]);
  });

  test("a revoked token is refused from the next request", async () => {
    const mine = await call<{ tokens: { id: string }[] }>("GET", "/tokens", { token: operator });
    const revoked = await call("DELETE", `/tokens/${mine.json.tokens[0]!.id}`, { token: operator });
    expect(revoked.json).toMatchObject({ token: { revokedAt: expect.any(String) } });
    const after = await call("GET", "/conversions", { token: operator });
    expect(after.status).toBe(401);
    expect(after.json).toMatchObject({ error: { code: "UNAUTHENTICATED", message: expect.stringMatching(/^The API token nightly was revoked on /) } });
  });
});
