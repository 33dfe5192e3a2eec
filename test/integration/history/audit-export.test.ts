// The audit export route as each role calls it (the session is stubbed; authorization, the
// database and the streaming are real), its CSV and JSON against the stored records, and the
// audit list's links to what each record concerns.
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { Actor } from "../../../server/auth/actor.ts";
import type { TRole } from "../../../server/auth/roles.ts";
import { recordAudit } from "../../../server/audit/record-audit.ts";
import { listAudit } from "../../../server/audit/list-audit.ts";
import { createLayer } from "../../../server/config/create-layer.ts";
import type { Db } from "../../../server/db/client.ts";
import { freshDatabase } from "../db.ts";

const session = vi.hoisted(() => ({ role: null as TRole | null }));
vi.mock("../../../server/auth/actor.ts", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../../server/auth/actor.ts")>()),
  actorFromHeaders: async (): Promise<Actor | null> =>
    session.role && { id: `${session.role}-id`, name: session.role, email: `${session.role}@example.test`, role: session.role, sessionId: "s", ip: "10.1.1.1" },
}));
const { GET } = await import("../../../app/api/audit/export/route.ts");

let prisma: Db;
const get = (query: string) => GET(new Request(`http://console/api/audit/export?${query}`));

beforeAll(async () => {
  const fresh = await freshDatabase("history_audit_export");
  prisma = fresh.prisma;
  process.env.DATABASE_URL = fresh.url;
  // 2,500 records on 2026-11-10 (more than one batch; many share a timestamp), a few either side.
  await prisma.$executeRaw`
    INSERT INTO audit_events (at, actor_id, actor_email, action, target_type, target_id, before, after, ip)
    SELECT '2026-11-10T00:00:00Z'::timestamptz + make_interval(secs => (i / 4) * 30), NULL, 'ops' || i % 3 || '@example.test',
           'conversion.retry', 'conversion', 'c-' || i, jsonb_build_object('status', 'failed', 'error', 'line one' || chr(10) || 'said "no", twice'), jsonb_build_object('status', 'queued'), '10.0.0.' || i % 250
    FROM generate_series(1, 2500) i`;
  await prisma.$executeRaw`
    INSERT INTO audit_events (at, actor_email, action, target_type, target_id, after) VALUES
      ('2026-11-09T23:59:59.999Z', 'before@example.test', 'user.create', 'user', 'u1', '{"email":"=cmd|calc"}'),
      ('2026-11-11T00:00:00.000Z', 'after@example.test', 'user.create', 'user', 'u2', NULL),
      ('2026-11-10T23:59:59.999Z', '=HYPERLINK("x")', 'user.create', 'user', 'u3', NULL)`;
});
afterAll(async () => prisma?.$disconnect());

/** RFC 4180, enough for the test: quoted cells with doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(cell), (cell = "");
    else if (ch === "\r" && text[i + 1] === "\n") row.push(cell), rows.push(row), (row = []), (cell = ""), i++;
    else cell += ch;
  }
  return rows;
}

async function stored(from: string, until: string) {
  return prisma.auditEvent.findMany({ where: { at: { gte: new Date(from), lt: new Date(until) } }, orderBy: [{ at: "asc" }, { id: "asc" }] });
}

describe("audit export", () => {
  test("CSV: every record of the days asked, oldest first, cells quoted, formulas neutralised", async () => {
    session.role = "admin";
    const res = await get("format=csv&from=2026-11-10&to=2026-11-10");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="ferry-audit-2026-11-10-to-2026-11-10.csv"');
    const rows = parseCsv(await res.text());
    expect(rows[0]).toEqual(["id", "at", "actor_email", "actor_id", "action", "target_type", "target_id", "ip", "before", "after"]);
    const expected = await stored("2026-11-10T00:00:00Z", "2026-11-11T00:00:00Z");
    expect(expected.length).toBe(2501);
    expect(rows.slice(1)).toEqual(
      expected.map((r) => [r.id.toString(), r.at.toISOString(), r.actorEmail.startsWith("=") ? `'${r.actorEmail}` : r.actorEmail, r.actorId ?? "", r.action, r.targetType, r.targetId ?? "", r.ip ?? "", r.before == null ? "" : JSON.stringify(r.before), r.after == null ? "" : JSON.stringify(r.after)]),
    );
    expect(rows[1]![8]).toBe('{"error":"line one\\nsaid \\"no\\", twice","status":"failed"}');
    expect(rows.at(-1)![2]).toBe(`'=HYPERLINK("x")`);
  });

  test("JSON: the same records as an array of objects; the export itself is recorded", async () => {
    session.role = "admin";
    const res = await get("format=json&from=2026-11-09&to=2026-11-11");
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const body = (await res.json()) as Record<string, unknown>[];
    const expected = await stored("2026-11-09T00:00:00Z", "2026-11-12T00:00:00Z");
    expect(body).toEqual(expected.map((r) => ({ id: r.id.toString(), at: r.at.toISOString(), actorEmail: r.actorEmail, actorId: r.actorId, action: r.action, targetType: r.targetType, targetId: r.targetId, ip: r.ip, before: r.before, after: r.after })));
    expect(body.length).toBe(2503);
    expect(await prisma.auditEvent.findFirst({ where: { action: "audit.export" }, orderBy: { id: "desc" } })).toMatchObject({ actorEmail: "admin@example.test", targetType: "audit", after: { format: "json", from: "2026-11-09", to: "2026-11-11" } });
    expect(await (await get("format=json&from=2020-01-01&to=2020-01-02")).json()).toEqual([]);
  });

  test("operators, viewers and nobody are refused; a bad range is explained", async () => {
    const exports = await prisma.auditEvent.count({ where: { action: "audit.export" } });
    for (const role of ["operator", "viewer"] as const) {
      session.role = role;
      const res = await get("format=csv&from=2026-11-10&to=2026-11-10");
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: { code: "FORBIDDEN", message: `Your role (${role}) does not allow this (audit:read).` } });
    }
    session.role = null;
    expect((await get("format=csv&from=2026-11-10&to=2026-11-10")).status).toBe(401);
    session.role = "admin";
    const fields = async (query: string) => {
      const res = await get(query);
      expect(res.status).toBe(422);
      return ((await res.json()) as { error: { fields: Record<string, string[]> } }).error.fields;
    };
    expect(await fields("format=xml&from=2026-11-10&to=2026-11-10")).toEqual({ format: ["The format is csv or json."] });
    expect(await fields("format=csv&from=2026-11-10&to=2026-11-09")).toEqual({ to: ["The range ends before it starts."] });
    expect(await fields("format=csv&from=2026-02-30")).toEqual({ from: ["Not a calendar day."], to: ["Invalid input: expected string, received undefined"] });
    expect(await prisma.auditEvent.count({ where: { action: "audit.export" } })).toBe(exports);
  });
});

describe("audit list links", () => {
  test("a conversion record links the conversion; a layer change links the layer at the revision it made", async () => {
    await prisma.conversion.create({ data: { id: "c-linked", guestName: "web7", status: "failed", request: {}, createdByEmail: "ops@example.test" } });
    await prisma.$transaction((tx) => recordAudit(tx, { id: null, email: "ops@example.test" }, { action: "conversion.retry", targetType: "conversion", targetId: "c-linked", before: { status: "failed" } }));
    const layer = await createLayer(prisma, { id: null, email: "ops@example.test" }, { name: "Site" });
    const { number } = await prisma.conversion.findUniqueOrThrow({ where: { id: "c-linked" } });
    const { rows } = await listAudit(prisma, { limit: 5 });
    expect(rows.find((r) => r.targetId === "c-linked")!.link).toEqual({ href: "/conversions/c-linked", label: `#${number} web7` });
    expect(rows.find((r) => r.action === "config.layer.create")!.link).toEqual({ href: `/configuration/${layer.id}`, label: "Site" });
    await prisma.$transaction((tx) => recordAudit(tx, { id: null, email: "ops@example.test" }, { action: "config.layer.change", targetType: "layer", targetId: layer.id, before: { revision: 1 }, after: { revision: 2 } }));
    expect((await listAudit(prisma, { limit: 1 })).rows[0]!.link).toEqual({ href: `/configuration/${layer.id}?revision=2#history`, label: "Site revision 2" });
    const ranged = await listAudit(prisma, { limit: 200, from: "2026-11-09", to: "2026-11-09" });
    expect(ranged.rows.map((r) => r.actorEmail)).toEqual(["before@example.test"]);
  });
});
