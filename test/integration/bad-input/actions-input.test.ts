// Overlong fields, files where text is expected, non-numbers where numbers are expected and
// unknown fields against every exported server action of app/**/actions.ts (found by walking
// app/, so a new action fails the first test until it has an example below). Each bad call must
// come back as { ok: false } with an error under the field, never throw, and write nothing
// (no row in any table changes, the audit log included). The session is stubbed as an admin;
// authorization, validation and the database are real.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { Actor } from "../../../server/auth/actor.ts";
import type { Db } from "../../../server/db/client.ts";
import { seedVendorLayer } from "../../../server/config/seed-vendor-layer.ts";
import { loadBadXmlCases, passwdFirstLine } from "../../helpers/bad-corpus.ts";
import { freshDatabase } from "../db.ts";

vi.setConfig({ testTimeout: 60_000 });
vi.mock("next/headers", () => ({ headers: async () => new Headers(), cookies: async () => ({ get: () => undefined, set: () => {} }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("next/navigation", () => ({ redirect: () => { throw new Error("redirect"); } }));
vi.mock("../../../server/auth/actor.ts", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../../server/auth/actor.ts")>()),
  actorFromHeaders: async (): Promise<Actor | null> => ({ id: "admin-id", name: "admin", email: "admin@example.test", role: "admin", sessionId: "s", ip: "10.9.9.9" }),
}));

const ROOT = path.resolve(import.meta.dirname, "../../..");
const MB = "x".repeat(1024 * 1024);
const pv = readFileSync(path.join(ROOT, "test/fixtures/domains/xen-pv-pygrub.xml"), "utf8");

function actionFiles(dir = path.join(ROOT, "app")): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? actionFiles(path.join(dir, e.name)) : e.name === "actions.ts" ? [path.relative(ROOT, path.join(dir, e.name))] : [],
  );
}

type FormActionFn = (prev: { ok: boolean }, data: FormData) => Promise<{ ok: boolean; message?: string; fieldErrors?: Record<string, string[]> }>;
const actions = new Map<string, (...args: never[]) => Promise<unknown>>();
let prisma: Db;
const ids = { layer: "", repository: "", conversion: "", agentToken: "", apiToken: "", viewer: "00000000-0000-4000-8000-00000000000a" };

/** A call each action accepts (or refuses for a reason other than its input's shape). */
function example(key: string): Record<string, string> | "no input" | undefined {
  const layer = { layerId: ids.layer };
  const table: Record<string, Record<string, string> | "no input"> = {
    "app/(console)/actions.ts#signOutAction": "no input",
    "app/(auth)/setup/actions.ts#setupAction": { name: "Ada", email: "ada@example.test", password: "password123", confirm: "password123" },
    "app/(console)/configuration/actions.ts#createLayerAction": { name: "bad-input", description: "d", repositoryId: ids.repository },
    "app/(console)/configuration/actions.ts#updateLayerAction": { ...layer, name: "team2", description: "d", repositoryId: ids.repository },
    "app/(console)/configuration/actions.ts#deleteLayerAction": layer,
    "app/(console)/configuration/actions.ts#reorderLayersAction": layer,
    "app/(console)/configuration/actions.ts#saveElementAction": { ...layer, baseRevision: "1", kind: "capability", index: "", name: "virtio", os: "rhel", major: "5", "deps.0.name": "kernel", "deps.0.minversion": "2.6.18-128.el5", "deps.0.ifinstalled": "" },
    "app/(console)/configuration/actions.ts#deleteElementAction": { ...layer, baseRevision: "1", kind: "app", index: "0" },
    "app/(console)/configuration/actions.ts#moveElementAction": { ...layer, baseRevision: "1", kind: "app", index: "0", direction: "up" },
    "app/(console)/configuration/actions.ts#setPathRootAction": { ...layer, baseRevision: "1", pathRoot: "/var/lib/virt-v2v/software" },
    "app/(console)/configuration/actions.ts#restoreRevisionAction": { ...layer, baseRevision: "1", number: "1" },
    "app/(console)/configuration/actions.ts#previewImportAction": { ...layer, text: "<virt-v2v/>", fileName: "site.conf" },
    "app/(console)/configuration/actions.ts#applyImportAction": { ...layer, baseRevision: "1", text: "<virt-v2v/>", fileName: "site.conf" },
    "app/(console)/configuration/actions.ts#explainMatchAction": { kind: "app", name: "virtio", os: "rhel", distro: "rhel", major: "5", minor: "4", arch: "x86_64" },
    "app/(console)/configuration/actions.ts#diffRevisionsAction": "no input", // (layerId, from, to): see its own test
    "app/(console)/conversions/actions.ts#createConversionAction": { "source.method": "libvirtxml", "source.xml": pv, "source.fileName": "pv.xml", "output.method": "libvirt", "output.storage": "default", "output.name": "g", "network.0": "a:b", dryRun: "true" },
    "app/(console)/conversions/actions.ts#conversionRowAction": { id: ids.conversion, action: "retry", replan: "false" },
    "app/(console)/users/actions.ts#createUserAction": { name: "Bob", email: "bob@example.test", password: "password123", role: "viewer" },
    "app/(console)/users/actions.ts#setRoleAction": { userId: ids.viewer, role: "operator" },
    "app/(console)/users/actions.ts#revokeSessionsAction": { userId: ids.viewer },
    "app/(console)/agents/actions.ts#createAgentTokenAction": { name: "host-1" },
    "app/(console)/agents/actions.ts#revokeAgentTokenAction": { id: ids.agentToken },
    "app/(console)/agents/actions.ts#retireAgentAction": { id: "agent-1" },
    "app/(console)/settings/tokens/actions.ts#createApiTokenAction": { name: "script", expiresInDays: "7", readOnly: "on" },
    "app/(console)/settings/tokens/actions.ts#revokeApiTokenAction": { id: ids.apiToken },
    "app/(console)/software/actions.ts#createRepositoryAction": { name: "r2", description: "d" },
    "app/(console)/software/actions.ts#renameRepositoryAction": { repositoryId: ids.repository, name: "r3", description: "d" },
    "app/(console)/software/actions.ts#deleteRepositoryAction": { repositoryId: ids.repository },
    "app/(console)/software/actions.ts#deleteFileAction": { repositoryId: ids.repository, path: "rhel/5/kernel.rpm" },
  };
  return table[key];
}

function form(fields: Record<string, string | Blob>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
}

async function rowCounts(): Promise<Record<string, number>> {
  return {
    users: await prisma.user.count(),
    audit: await prisma.auditEvent.count(),
    layers: await prisma.configLayer.count(),
    revisions: await prisma.configRevision.count(),
    repositories: await prisma.repository.count(),
    files: await prisma.repositoryFile.count(),
    conversions: await prisma.conversion.count(),
    apiTokens: await prisma.apiToken.count({ where: { revokedAt: null } }),
    agentTokens: await prisma.agentToken.count({ where: { revokedAt: null } }),
  };
}

beforeAll(async () => {
  process.env.FERRY_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), "ferry-bad-input-actions-"));
  const fresh = await freshDatabase("bad_input_actions");
  prisma = fresh.prisma;
  process.env.DATABASE_URL = fresh.url;
  await seedVendorLayer(prisma);
  await prisma.user.create({ data: { id: "admin-id", name: "admin", email: "admin@example.test", role: "admin" } });
  await prisma.user.create({ data: { id: ids.viewer, name: "viewer", email: "viewer@example.test", role: "viewer" } });
  const who = { id: "admin-id", email: "admin@example.test", ip: null };
  ids.repository = (await (await import("../../../server/software/create-repository.ts")).createRepository(prisma, who, { name: "base", description: "" })).id;
  ids.layer = (await (await import("../../../server/config/create-layer.ts")).createLayer(prisma, who, { name: "team", description: "" })).id;
  const store = await import("../../../server/conversions/store.ts");
  const conversion = await store.createConversion(prisma, who, { source: { method: "libvirtxml", xml: pv }, output: { method: "libvirt", storage: "default" }, dryRun: true });
  await store.requestCancel(prisma, who, conversion.id);
  ids.conversion = conversion.id;
  ids.agentToken = (await (await import("../../../server/agents/tokens.ts")).createAgentToken(prisma, who, { name: "agents" })).token.id;
  ids.apiToken = (await (await import("../../../server/auth/api-tokens.ts")).createApiToken(prisma, { ...who }, { name: "mine", expiresInDays: 7 })).token.id;
  for (const file of actionFiles()) {
    const mod = (await import(path.join(ROOT, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) if (typeof value === "function") actions.set(`${file}#${name}`, value as never);
  }
});
afterAll(async () => prisma?.$disconnect());

/** Problems with one answer to a bad call naming `field`: empty when it is right. */
async function judge(what: string, run: () => Promise<unknown>, field: string): Promise<string[]> {
  let result: { ok?: boolean; message?: string; fieldErrors?: Record<string, string[]> };
  try {
    result = (await run()) as typeof result;
  } catch (e) {
    return [`${what}: threw ${e instanceof Error ? e.message.slice(0, 200) : String(e)}`];
  }
  if (result?.ok !== false) return [`${what}: accepted (${result?.message?.slice(0, 120)})`];
  const keys = Object.keys(result.fieldErrors ?? {});
  if (!keys.some((k) => k === field || k.startsWith(`${field}.`))) return [`${what}: no error under ${field} (fields: ${keys.join(", ") || "none"}; ${result.message?.slice(0, 200)})`];
  if (JSON.stringify(result).length > 20_000) return [`${what}: the answer echoes the input`];
  return [];
}

describe("every server action refuses overlong, mistyped and unknown fields by name", () => {
  test("finds the actions, and each has an example here", () => {
    expect(actions.size).toBeGreaterThan(25);
    expect([...actions.keys()].filter((k) => example(k) === undefined)).toEqual([]);
  });

  test.each(Object.keys(Object.fromEntries([...actionFiles()].map((f) => [f, 1]))))("%s", async (file) => {
    const problems: string[] = [];
    for (const [key, fn] of actions) {
      if (!key.startsWith(`${file}#`)) continue;
      const fields = example(key);
      if (fields === undefined || fields === "no input") continue;
      const before = await rowCounts();
      const call = (f: Record<string, string | Blob>) => () => (fn as unknown as FormActionFn)({ ok: false }, form(f));
      const name = key.split("#")[1]!;
      problems.push(...(await judge(`${name}: unknown field`, call({ ...fields, unexpectedField: "x" }), "unexpectedField")));
      for (const [field, value] of Object.entries(fields)) {
        problems.push(...(await judge(`${name}: ${field} of 1 MB`, call({ ...fields, [field]: MB }), field)));
        problems.push(...(await judge(`${name}: ${field} as a file`, call({ ...fields, [field]: new Blob(["x"]) }), field)));
        if (/^\d+$/.test(value)) problems.push(...(await judge(`${name}: ${field}=abc`, call({ ...fields, [field]: "abc" }), field)));
      }
      const after = await rowCounts();
      if (JSON.stringify(after) !== JSON.stringify(before)) problems.push(`${name}: rows changed ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
    }
    expect(problems).toEqual([]);
  });

  test("diffRevisionsAction (called with arguments, not a form) refuses junk without throwing", async () => {
    const diff = actions.get("app/(console)/configuration/actions.ts#diffRevisionsAction") as unknown as (...args: unknown[]) => Promise<{ ok: boolean; message?: string }>;
    for (const args of [[MB], [ids.layer, "abc"], [ids.layer, 1, { x: 1 }], [12345], [ids.layer, -1, 1e300]] as unknown[][]) {
      const result = await diff(...args);
      expect(result.ok, JSON.stringify(args).slice(0, 80)).toBe(false);
      expect(result.message?.length ?? 0).toBeLessThan(2000);
    }
  });
});

describe("versions that are not [epoch:]version[-release]", () => {
  const { cases } = JSON.parse(readFileSync(path.join(ROOT, "test/fixtures/bad/versions/cases.json"), "utf8")) as { cases: { minversion: string; expected: string }[] };

  test.each(cases.map((c) => [JSON.stringify(c.minversion), c] as const))("minversion %s is refused in the capability form and in an import", async (_name, c) => {
    const before = await rowCounts();
    const save = actions.get("app/(console)/configuration/actions.ts#saveElementAction") as unknown as FormActionFn;
    const fields = { layerId: ids.layer, baseRevision: "1", kind: "capability", index: "", name: "virtio", os: "rhel", major: "5", "deps.0.name": "kernel", "deps.0.minversion": c.minversion };
    const saved = await save({ ok: false }, form(fields));
    expect(saved.ok).toBe(false);
    expect(saved.fieldErrors?.["deps.0.minversion"]).toEqual([c.expected]);

    const preview = actions.get("app/(console)/configuration/actions.ts#previewImportAction") as unknown as FormActionFn;
    const escaped = c.minversion.replace(/[\u0000-\u001f]/g, (ch) => `&#${ch.charCodeAt(0)};`);
    const text = `<virt-v2v>\n  <capability name="virtio" os="rhel" major="5">\n    <dep name="kernel" minversion="${escaped}"/>\n  </capability>\n</virt-v2v>\n`;
    const imported = await preview({ ok: false }, form({ layerId: ids.layer, text, fileName: "site.conf" }));
    expect(imported.ok).toBe(false);
    // A control character never gets as far as the version rule: XML itself refuses it first.
    const line = imported.fieldErrors?.text?.[0] ?? "";
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(c.minversion)) expect(line).toMatch(/^site\.conf:3:\d+: malformed XML: invalid character reference &#\d+;$/);
    else expect(line).toBe(`site.conf:3:${line.split(":")[2]}: ${c.expected}`);
    expect(await rowCounts()).toEqual(before);
  });
});

describe("the bad XML corpus through the forms", () => {
  const cases = loadBadXmlCases();

  test.each(cases.map((c) => [c.name, c] as const))("%s is refused under its field", async (_name, c) => {
    const before = await rowCounts();
    const text = c.text(9);
    let result: { ok: boolean; fieldErrors?: Record<string, string[]> };
    let field: string;
    if (c.kind === "conf") {
      const preview = actions.get("app/(console)/configuration/actions.ts#previewImportAction") as unknown as FormActionFn;
      result = await preview({ ok: false }, form({ layerId: ids.layer, file: new File([text], c.fileName) }));
      field = "text";
    } else {
      const create = actions.get("app/(console)/conversions/actions.ts#createConversionAction") as unknown as FormActionFn;
      result = await create({ ok: false }, form({ "source.method": "libvirtxml", "source.xml": text, "source.fileName": c.fileName, "output.method": "libvirt", "output.storage": "default", dryRun: "true" }));
      field = "source.xml";
    }
    expect(result.ok).toBe(false);
    const message = result.fieldErrors?.[field]?.[0];
    // An empty upload is "no file": the form asks for one; over 32 MiB the import says so first.
    if (text === "") expect(message).toBe("Paste or upload a virt-v2v.conf file.");
    else if (c.kind === "conf" && text.length > 32 * 1024 * 1024) expect(message).toBe("The file is too large (at most 32 MiB).");
    else expect(message).toBe(c.expected);
    expect(JSON.stringify(result)).not.toContain(passwdFirstLine());
    expect(await rowCounts()).toEqual(before);
  });
});
