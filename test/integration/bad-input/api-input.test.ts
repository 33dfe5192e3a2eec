// Overlong fields, wrong types and unknown fields against every /api/v1 route of the route
// table (a new route is covered as soon as it is added: one without a valid example below fails
// the first test). Each bad request must get a 4xx naming the field, never a 500, and write
// nothing. Then the bad XML corpus through the API: domain XML in POST /conversions and
// virt-v2v.conf in POST /layers/{id}/import, each refused with the corpus's message under its
// field, and bodies over the cap refused before they are read whole.
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { Actor } from "../../../server/auth/actor.ts";
import { isRole } from "../../../server/auth/roles.ts";
import type { Db } from "../../../server/db/client.ts";
import { seedVendorLayer } from "../../../server/config/seed-vendor-layer.ts";
import { loadBadXmlCases, passwdFirstLine } from "../../helpers/bad-corpus.ts";
import { freshDatabase } from "../db.ts";

vi.setConfig({ testTimeout: 60_000 });
vi.mock("../../../server/auth/actor.ts", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../../server/auth/actor.ts")>()),
  actorFromHeaders: async (headers: Headers): Promise<Actor | null> => {
    const role = headers.get("x-test-session-role");
    return isRole(role) ? { id: `${role}-id`, name: role, email: `${role}@example.test`, role, sessionId: "s", ip: null } : null;
  },
}));

const { handleApiRequest, MAX_JSON_BODY_BYTES } = await import("../../../server/api/handle.ts");
const { ROUTES } = await import("../../../server/api/routes.ts");

const pv = readFileSync(path.resolve(import.meta.dirname, "../../fixtures/domains/xen-pv-pygrub.xml"), "utf8");
const MB = "x".repeat(1024 * 1024);
let prisma: Db;
const ids = { layer: "", repository: "", conversion: "", token: "" };

type Answer = { status: number; json: { error?: { code: string; message: string; fields?: Record<string, string[]> } } & Record<string, unknown> };

async function call(method: string, route: string, body?: unknown, raw?: string): Promise<Answer> {
  const headers = new Headers({ "x-test-session-role": "admin" });
  if (body !== undefined || raw !== undefined) headers.set("content-type", "application/json");
  const request = new Request(`http://ferry.test/api/v1${route}`, { method, headers, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
  const res = await handleApiRequest(request, route.split("?")[0]!.split("/").filter(Boolean));
  const text = await res.text();
  return { status: res.status, json: res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : {} };
}

/** A request each route accepts; the mutations below start from it. */
type Example = { body?: unknown; raw?: string; query?: Record<string, string> };
function valid(key: string): Example | undefined {
  const examples: Record<string, Example> = {
    "POST /layers": { body: { name: "bad-input", description: "d", repositoryId: ids.repository } },
    "POST /layers/{id}/import": { body: { baseRevision: 0, text: "<virt-v2v/>", fileName: "site.conf" } },
    "POST /repositories": { body: { name: "repo", description: "d" } },
    "PUT /repositories/{id}/files": { query: { path: "rhel/5/kernel.rpm" }, raw: "not really an rpm" },
    "GET /repositories/{id}/files/download": { query: { path: "rhel/5/kernel.rpm" } },
    "GET /conversions": { query: { status: "queued", guest: "Xen", page: "1", pageSize: "10" } },
    "POST /conversions": {
      body: { source: { method: "libvirtxml", xml: pv, fileName: "pv.xml", disks: { "/dev/HostVG/XenGuest1": "/var/lib/xen/a.img" } }, output: { method: "libvirt", uri: "qemu:///system", storage: "default", format: "raw", allocation: "sparse", name: "g" }, profile: "p", network: ["a:b"], bridge: ["c:d"], dryRun: true },
    },
    "GET /conversions/{id}/log": { query: { after: "0", attempt: "0", tail: "10" } },
    "POST /conversions/{id}/retry": { body: { replan: false } },
    "GET /audit": { query: { actor: "a", action: "b", target: "c", before: "1", from: "2026-01-01", to: "2026-01-02", limit: "5" } },
    "POST /tokens": { body: { name: "t", expiresInDays: 7, readOnly: false } },
  };
  return examples[key];
}

function concrete(routePath: string): string {
  const id = routePath.startsWith("/conversions") ? ids.conversion : routePath.startsWith("/layers") ? ids.layer : routePath.startsWith("/repositories") ? ids.repository : ids.token;
  return routePath.replace("{id}", id);
}

type Leaf = { path: string[]; value: unknown };
function leaves(value: unknown, at: string[] = []): Leaf[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...at, String(i)]));
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => leaves(v, [...at, k]));
  return [{ path: at, value }];
}
// Maps whose keys are data (disk path -> agent path), not field names.
const MAPS = new Set(["disks"]);
function objects(value: unknown, at: string[] = []): string[][] {
  if (value === null || typeof value !== "object" || Array.isArray(value) || MAPS.has(at[at.length - 1] ?? "")) return [];
  return [at, ...Object.entries(value).flatMap(([k, v]) => objects(v, [...at, k]))];
}
function setAt(root: unknown, at: string[], value: unknown): unknown {
  const copy = structuredClone(root) as Record<string, unknown>;
  let node = copy;
  for (const k of at.slice(0, -1)) node = node[k] as Record<string, unknown>;
  node[at[at.length - 1]!] = value;
  return copy;
}

async function rowCounts(): Promise<Record<string, number>> {
  return {
    layers: await prisma.configLayer.count(),
    revisions: await prisma.configRevision.count(),
    repositories: await prisma.repository.count(),
    files: await prisma.repositoryFile.count(),
    conversions: await prisma.conversion.count(),
    tokens: await prisma.apiToken.count(),
  };
}

/** Problems with one answer to a bad request naming `field`: empty when it is right. */
function judge(what: string, answer: Answer, field: string): string[] {
  const { status, json } = answer;
  if (status < 400 || status >= 500 || status === 401 || status === 403) return [`${what}: HTTP ${status} ${JSON.stringify(json).slice(0, 300)}`];
  const fields = Object.keys(json.error?.fields ?? {});
  if (!fields.some((f) => f === field || f.startsWith(`${field}.`))) return [`${what}: HTTP ${status}, no error under ${field} (fields: ${fields.join(", ") || "none"}; ${json.error?.message?.slice(0, 200)})`];
  const text = JSON.stringify(json);
  if (text.length > 20_000) return [`${what}: the answer echoes the input (${text.length} characters)`];
  return [];
}

beforeAll(async () => {
  process.env.FERRY_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), "ferry-bad-input-api-"));
  const fresh = await freshDatabase("bad_input_api");
  prisma = fresh.prisma;
  process.env.DATABASE_URL = fresh.url;
  await seedVendorLayer(prisma);
  await prisma.user.create({ data: { id: "admin-id", name: "admin", email: "admin@example.test", role: "admin" } });
  ids.repository = ((await call("POST", "/repositories", { name: "base" })).json.repository as { id: string }).id;
  ids.layer = ((await call("POST", "/layers", { name: "team" })).json.layer as { id: string }).id;
  const created = await call("POST", "/conversions", { source: { method: "libvirtxml", xml: pv }, output: { method: "libvirt", storage: "default" }, dryRun: true });
  expect(created.status).toBe(201);
  ids.conversion = created.json.id as string;
  expect((await call("POST", `/conversions/${ids.conversion}/cancel`)).status).toBe(200);
  ids.token = ((await call("POST", "/tokens", { name: "mine", expiresInDays: 7 })).json.token as { id: string }).id;
});
afterAll(async () => prisma?.$disconnect());

describe("every /api/v1 route refuses overlong, mistyped and unknown input by field", () => {
  test("every route that takes a body or a query has a valid example here", () => {
    const missing = ROUTES.filter((r) => ((r.body !== undefined && r.body !== "binary") || r.query) && !valid(`${r.method} ${r.path}`)).map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
  });

  test.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))("%s", async (key, route) => {
    const example = valid(key) ?? {};
    const base = concrete(route.path);
    const qs = (q: Record<string, string>) => (Object.keys(q).length ? `?${new URLSearchParams(q).toString()}` : "");
    const query = example.query ?? {};
    const body = example.body;
    const send = (route_: string, b: unknown = body) => call(route.method, route_, b, b === undefined ? example.raw : undefined);
    const before = await rowCounts();
    const problems: string[] = [];

    // An unknown query parameter, on every route.
    problems.push(...judge("unknown query parameter", await send(base + qs({ ...query, unexpectedParam: "1" })), "unexpectedParam"));
    for (const [name, value] of Object.entries(query)) {
      problems.push(...judge(`?${name} of 1 MB`, await send(base + qs({ ...query, [name]: MB })), name));
      if (/^\d+$/.test(value)) problems.push(...judge(`?${name}=abc`, await send(base + qs({ ...query, [name]: "abc" })), name));
    }
    if (body !== undefined) {
      for (const leaf of leaves(body)) {
        const field = leaf.path.join(".");
        if (typeof leaf.value === "string") problems.push(...judge(`${field} of 1 MB`, await call(route.method, base + qs(query), setAt(body, leaf.path, MB)), field));
        const wrong = typeof leaf.value === "string" ? 12345 : typeof leaf.value === "number" ? "12" : typeof leaf.value === "boolean" ? "yes" : 0;
        problems.push(...judge(`${field} as ${typeof wrong}`, await call(route.method, base + qs(query), setAt(body, leaf.path, wrong)), field));
        if (typeof leaf.value === "number") problems.push(...judge(`${field} huge`, await call(route.method, base + qs(query), setAt(body, leaf.path, 1e300)), field));
      }
      for (const at of objects(body)) {
        const withUnknown = at.length === 0 ? { ...(body as object), unexpectedField: "x" } : setAt(body, [...at, "unexpectedField"], "x");
        problems.push(...judge(`unknown field in ${at.join(".") || "the body"}`, await call(route.method, base + qs(query), withUnknown), [...at, "unexpectedField"].join(".")));
      }
      for (const wrong of ["[]", "null", '"text"', "{", "12"]) {
        const answer = await call(route.method, base + qs(query), undefined, wrong);
        if (answer.status !== 422) problems.push(`body ${wrong}: HTTP ${answer.status}`);
      }
    } else if (route.body === undefined && route.method !== "GET") {
      const answer = await call(route.method, base + qs(query), { unexpectedField: "x" });
      if (answer.status !== 422) problems.push(`a body where none is taken: HTTP ${answer.status}`);
    }
    if (route.path.includes("{id}")) {
      const long = await send(route.path.replace("{id}", MB) + qs(query));
      if (long.status !== 404 || JSON.stringify(long.json).length > 2000) problems.push(`an id of 1 MB: HTTP ${long.status}, ${JSON.stringify(long.json).length} characters`);
      const broken = await send(route.path.replace("{id}", "%E0%A4%A") + qs(query));
      if (broken.status !== 404) problems.push(`a broken %-encoded id: HTTP ${broken.status}`);
    }
    expect(problems).toEqual([]);
    expect(await rowCounts()).toEqual(before);
  });
});

describe("the bad XML corpus through the API", () => {
  const cases = loadBadXmlCases();

  test.each(cases.filter((c) => c.kind === "domain").map((c) => [c.name, c] as const))("POST /conversions with %s is refused under source.xml", async (_name, c) => {
    const before = await rowCounts();
    const text = c.text(9);
    const answer = await call("POST", "/conversions", { source: { method: "libvirtxml", xml: text, fileName: c.fileName }, output: { method: "libvirt", storage: "default" }, dryRun: true });
    if (text.length > MAX_JSON_BODY_BYTES) {
      expect(answer.status).toBe(413);
      expect(answer.json.error).toEqual({ code: "TOO_LARGE", message: "The request body is larger than 48 MiB." });
    } else {
      expect(answer.status).toBe(422);
      expect(answer.json.error?.fields?.["source.xml"]?.[0]).toBe(c.expected);
    }
    expect(JSON.stringify(answer.json)).not.toContain(passwdFirstLine());
    expect(await rowCounts()).toEqual(before);
  });

  test.each(cases.filter((c) => c.kind === "conf").map((c) => [c.name, c] as const))("POST /layers/{id}/import with %s is refused under text", async (_name, c) => {
    const before = await rowCounts();
    const text = c.text(9);
    const answer = await call("POST", `/layers/${ids.layer}/import`, { baseRevision: 1, text, fileName: c.fileName });
    if (text.length > MAX_JSON_BODY_BYTES) {
      expect(answer.status).toBe(413);
    } else {
      expect(answer.status).toBe(422);
      // An empty text never reaches the parser: the schema asks for one.
      if (text === "") expect(answer.json.error?.fields?.text).toBeDefined();
      else expect(answer.json.error?.fields?.text?.[0]).toBe(c.expected);
    }
    expect(JSON.stringify(answer.json)).not.toContain(passwdFirstLine());
    expect(await rowCounts()).toEqual(before);
  });
});

describe("uploads whose name escapes the repository or carries control characters", () => {
  const cases = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../fixtures/bad/paths/cases.json"), "utf8")) as { path: string; expected: string }[];

  test.each(cases.map((c) => [JSON.stringify(c.path).slice(0, 60), c] as const))("PUT ?path=%s is refused under path", async (_name, c) => {
    const before = await rowCounts();
    const answer = await call("PUT", `/repositories/${ids.repository}/files?${new URLSearchParams({ path: c.path }).toString()}`, undefined, "bytes");
    expect(answer.status).toBe(422);
    expect(answer.json.error?.fields?.path).toEqual([c.expected]);
    expect(await rowCounts()).toEqual(before);
  });
});
