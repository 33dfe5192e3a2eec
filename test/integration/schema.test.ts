// The migrations' SQL and prisma/schema.prisma describe the same database: same tables, same
// columns with the same types and nullability, the same indexes, and every model round-trips
// through the generated client.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Prisma } from "../../server/db/generated/client.ts";
import type { Db } from "../../server/db/client.ts";
import { PG_TYPE, readPrismaSchema } from "../helpers/prisma-schema.ts";
import { freshDatabase } from "./db.ts";

const models = readPrismaSchema();
let prisma: Db;

beforeAll(async () => {
  ({ prisma } = await freshDatabase("schema_agree"));
});
afterAll(async () => prisma?.$disconnect());

describe("schema.prisma and the migrations agree", () => {
  test("the same tables exist", async () => {
    const rows = await prisma.$queryRaw<{ table_name: string }[]>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY 1`;
    expect(rows.map((r) => r.table_name).sort()).toEqual(models.map((m) => m.table).sort());
  });

  test.each(models.map((m) => [m.name, m] as const))("%s: columns, types and nullability match", async (_name, model) => {
    const rows = await prisma.$queryRaw<{ column_name: string; data_type: string; is_nullable: string }[]>`
      SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ${model.table}`;
    const actual = Object.fromEntries(rows.map((r) => [r.column_name, { type: r.data_type, nullable: r.is_nullable === "YES" }]));
    const expected = Object.fromEntries(model.columns.map((c) => [c.column, { type: PG_TYPE[c.type], nullable: c.nullable }]));
    expect(actual).toEqual(expected);
  });

  test.each(models.map((m) => [m.name, m] as const))("%s: unique fields and @@index entries have their indexes", async (_name, model) => {
    const rows = await prisma.$queryRaw<{ cols: string[]; unique: boolean }[]>`
      SELECT array_agg(a.attname::text ORDER BY k.ord) AS cols, ix.indisunique AS unique
      FROM pg_index ix
      JOIN pg_class t ON t.oid = ix.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
      CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE n.nspname = 'public' AND t.relname = ${model.table} AND NOT ix.indisprimary
      GROUP BY ix.indexrelid, ix.indisunique`;
    const actual = rows.map((r) => `${r.unique ? "unique " : ""}${r.cols.join(",")}`).sort();
    const expected = [
      ...model.columns.filter((c) => c.unique).map((c) => `unique ${c.column}`),
      ...model.indexes.map((i) => `${i.unique ? "unique " : ""}${i.columns.join(",")}`),
    ].sort();
    expect(actual).toEqual(expected);
  });

  test("the guest-name search index is the trigram GIN index schema.prisma names", async () => {
    const rows = await prisma.$queryRaw<{ def: string }[]>`SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'conversions_guest_name_trgm_idx'`;
    expect(rows.map((r) => r.def)).toEqual(["CREATE INDEX conversions_guest_name_trgm_idx ON public.conversions USING gin (guest_name gin_trgm_ops)"]);
  });
});

describe("every model round-trips through the generated client", () => {
  const now = new Date("2026-01-02T03:04:05.678Z");
  const later = new Date("2026-02-03T04:05:06.789Z");

  test("the cases below cover every model", () => {
    expect(Object.keys(Prisma.ModelName).sort()).toEqual(models.map((m) => m.name).sort());
    expect(Object.keys(roundTrips).sort()).toEqual(models.map((m) => m.name).sort());
  });

  const roundTrips: Record<string, () => Promise<void>> = {
    User: async () => {
      const data = { id: "u-rt", name: "Ada", email: "ada@example.test", emailVerified: true, image: "https://example.test/a.png", role: "operator", createdAt: now, updatedAt: later };
      await prisma.user.create({ data });
      expect(await prisma.user.findUniqueOrThrow({ where: { id: "u-rt" } })).toEqual(data);
    },
    Session: async () => {
      const data = { id: "s-rt", expiresAt: later, token: "tok-rt", createdAt: now, updatedAt: later, ipAddress: "127.0.0.1", userAgent: "vitest", userId: "u-rt" };
      await prisma.session.create({ data });
      expect(await prisma.session.findUniqueOrThrow({ where: { id: "s-rt" } })).toEqual(data);
    },
    Account: async () => {
      const data = {
        id: "a-rt", accountId: "u-rt", providerId: "credential", userId: "u-rt", accessToken: "at", refreshToken: "rt", idToken: "it",
        accessTokenExpiresAt: later, refreshTokenExpiresAt: later, scope: "s", password: "hash", createdAt: now, updatedAt: later,
      };
      await prisma.account.create({ data });
      expect(await prisma.account.findUniqueOrThrow({ where: { id: "a-rt" } })).toEqual(data);
    },
    Verification: async () => {
      const data = { id: "v-rt", identifier: "email:ada", value: "x", expiresAt: later, createdAt: now, updatedAt: later };
      await prisma.verification.create({ data });
      expect(await prisma.verification.findUniqueOrThrow({ where: { id: "v-rt" } })).toEqual(data);
    },
    RateLimit: async () => {
      const data = { id: "r-rt", key: "127.0.0.1|/sign-in/email", count: 3, lastRequest: 1_790_000_000_123n };
      await prisma.rateLimit.create({ data });
      expect(await prisma.rateLimit.findUniqueOrThrow({ where: { id: "r-rt" } })).toEqual(data);
    },
    AuditEvent: async () => {
      const data = { at: now, actorId: "u-rt", actorEmail: "ada@example.test", action: "user.create", targetType: "user", targetId: "u-rt", before: { a: [1, "two", null] }, after: { b: { c: true } }, ip: "::1" };
      const created = await prisma.auditEvent.create({ data });
      expect(await prisma.auditEvent.findUniqueOrThrow({ where: { id: created.id } })).toEqual({ ...data, id: created.id });
    },
    Repository: async () => {
      const data = { id: "repo-rt", name: "site-software", description: "RPMs and drivers", createdAt: now };
      await prisma.repository.create({ data });
      expect(await prisma.repository.findUniqueOrThrow({ where: { id: "repo-rt" } })).toEqual(data);
    },
    RepositoryFile: async () => {
      const data = { id: "rf-rt", repositoryId: "repo-rt", path: "rhel/5/kernel.rpm", size: 5_000_000_000n, sha256: "a".repeat(64), uploadedById: "u-rt", uploadedByEmail: "ada@example.test", uploadedAt: now };
      await prisma.repositoryFile.create({ data });
      expect(await prisma.repositoryFile.findUniqueOrThrow({ where: { id: "rf-rt" } })).toEqual(data);
    },
    ConfigLayer: async () => {
      const data = { id: "layer-rt", name: "Site", position: 10, kind: "team", description: "our additions", repositoryId: "repo-rt", headRevision: 1, createdAt: now, updatedAt: later };
      await prisma.configLayer.create({ data });
      expect(await prisma.configLayer.findUniqueOrThrow({ where: { id: "layer-rt" } })).toEqual(data);
    },
    ConfigRevision: async () => {
      const data = { layerId: "layer-rt", number: 1, model: { profiles: [{ name: "p", networks: [] }], pathRoot: "/srv" }, summary: "Created", authorId: "u-rt", authorEmail: "ada@example.test", restoredFrom: null, createdAt: now };
      const created = await prisma.configRevision.create({ data });
      expect(await prisma.configRevision.findUniqueOrThrow({ where: { id: created.id } })).toEqual({ ...data, id: created.id });
    },
    AgentToken: async () => {
      const data = { id: "tok-rt", name: "conv-host-1", tokenHash: "b".repeat(64), prefix: "fa_1234", createdById: "u-rt", createdByEmail: "ada@example.test", createdAt: now, lastUsedAt: later, revokedAt: null };
      await prisma.agentToken.create({ data });
      expect(await prisma.agentToken.findUniqueOrThrow({ where: { id: "tok-rt" } })).toEqual(data);
    },
    ApiToken: async () => {
      const data = { id: "pat-rt", userId: "u-rt", name: "nightly migration", tokenHash: "c".repeat(64), prefix: "ferry_pat_abcd", readOnly: true, expiresAt: later, createdAt: now, lastUsedAt: null, revokedAt: null };
      await prisma.apiToken.create({ data });
      expect(await prisma.apiToken.findUniqueOrThrow({ where: { id: "pat-rt" } })).toEqual(data);
    },
    Agent: async () => {
      const data = {
        id: "agent-rt", name: "conv-host-1", kind: "remote", tokenId: "tok-rt", capabilities: { tools: { "qemu-img": "7.2.0" }, pools: ["default"] },
        concurrency: 2, version: "0.1.0", hostname: "conv1.example.test", registeredAt: now, lastHeartbeatAt: later, retiredAt: null,
      };
      await prisma.agent.create({ data });
      expect(await prisma.agent.findUniqueOrThrow({ where: { id: "agent-rt" } })).toEqual(data);
    },
    Conversion: async () => {
      const data = {
        id: "conv-rt", number: 41, guestName: "rhel54", status: "running", dryRun: false, request: { source: { method: "libvirtxml", file: "/srv/g.xml" } },
        profile: "rhel", configRevisions: [{ file: "Site", revision: 3 }], plan: { version: 1 }, result: null, errorCode: null, error: null,
        progress: { stage: "copy", done: 1, total: 2, unit: "bytes" }, outputs: { agentId: "agent-rt", attempt: 1, paths: ["/var/lib/libvirt/images/rhel54-sda"] }, agentId: "agent-rt", attempt: 1, cancelRequested: false,
        createdById: "u-rt", createdByEmail: "ada@example.test", createdAt: now, updatedAt: later, startedAt: later, finishedAt: null, logLines: 0,
      };
      await prisma.conversion.create({ data: { ...data, result: undefined } });
      expect(await prisma.conversion.findUniqueOrThrow({ where: { id: "conv-rt" } })).toEqual(data);
    },
    ConversionLog: async () => {
      const data = { conversionId: "conv-rt", attempt: 1, seq: 0, at: now, level: "warn", stage: "copy", message: "Storage volume rhel54-sda already exists on the target." };
      const created = await prisma.conversionLog.create({ data });
      // line 0 asks the database to number it: the conversion's first line is 1.
      expect(await prisma.conversionLog.findUniqueOrThrow({ where: { id: created.id } })).toEqual({ ...data, id: created.id, line: 1 });
      expect((await prisma.conversion.findUniqueOrThrow({ where: { id: "conv-rt" } })).logLines).toBe(1);
    },
    ConversionCount: async () => {
      // The triggers keep it: conv-rt (running, ada, rhel) was counted when it was created.
      expect(await prisma.conversionCount.findUniqueOrThrow({ where: { status_createdByEmail_profile: { status: "running", createdByEmail: "ada@example.test", profile: "rhel" } } })).toEqual({ status: "running", createdByEmail: "ada@example.test", profile: "rhel", n: 1n });
      const data = { status: "planned", createdByEmail: "rt@example.test", profile: "", n: 7n };
      await prisma.conversionCount.create({ data });
      expect(await prisma.conversionCount.findUniqueOrThrow({ where: { status_createdByEmail_profile: { status: "planned", createdByEmail: "rt@example.test", profile: "" } } })).toEqual(data);
    },
    SocketIoAttachment: async () => {
      const data = { createdAt: now, payload: new Uint8Array([1, 2, 255]) };
      const created = await prisma.socketIoAttachment.create({ data });
      expect(await prisma.socketIoAttachment.findUniqueOrThrow({ where: { id: created.id } })).toEqual({ ...data, id: created.id });
    },
  };

  // Order matters: parents before children.
  test.each(["User", "Session", "Account", "Verification", "RateLimit", "AuditEvent", "Repository", "RepositoryFile", "ConfigLayer", "ConfigRevision", "AgentToken", "ApiToken", "Agent", "Conversion", "ConversionLog", "ConversionCount", "SocketIoAttachment"])("%s", async (name) => {
    await roundTrips[name]!();
  });
});
