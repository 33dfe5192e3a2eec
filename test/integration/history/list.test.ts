// The conversions list against generated rows: every filter, both sorts, keyset pages walked
// forward and back, compared with the same question asked plainly (ORDER BY, no cursor).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../../../server/db/client.ts";
import type { Prisma } from "../../../server/db/generated/client.ts";
import { listConversions, type TConversionFilter } from "../../../server/conversions/list-conversions.ts";
import { listHistoryChoices } from "../../../server/conversions/history-choices.ts";
import { freshDatabase } from "../db.ts";
import { seedHistory } from "./seed.ts";

let prisma: Db;
const NOW = new Date("2026-11-30T12:00:00.000Z");
const COUNT = 600;

beforeAll(async () => {
  ({ prisma } = await freshDatabase("history_list"));
  await seedHistory(prisma, { count: COUNT, now: NOW, spanDays: 30, prefix: "h" });
});
afterAll(async () => prisma?.$disconnect());

/** Every page from the first, following `next`; and back again from the last, following `prev`. */
async function walk(filter: TConversionFilter): Promise<{ forward: string[][]; backward: string[][] }> {
  const forward: string[][] = [];
  let page = await listConversions(prisma, filter, NOW);
  forward.push(page.items.map((i) => i.id));
  expect(page.prev).toBeNull();
  while (page.next) {
    page = await listConversions(prisma, { ...filter, after: page.next }, NOW);
    forward.push(page.items.map((i) => i.id));
  }
  const backward: string[][] = [page.items.map((i) => i.id)];
  while (page.prev) {
    page = await listConversions(prisma, { ...filter, before: page.prev }, NOW);
    backward.unshift(page.items.map((i) => i.id));
  }
  return { forward, backward };
}

/** The same question without cursors: Prisma's own ORDER BY. */
async function plainly(where: Prisma.ConversionWhereInput, orderBy: Prisma.ConversionOrderByWithRelationInput[]): Promise<string[]> {
  return (await prisma.conversion.findMany({ where, orderBy, select: { id: true } })).map((r) => r.id);
}

const newest: Prisma.ConversionOrderByWithRelationInput[] = [{ createdAt: "desc" }, { number: "desc" }];

describe("keyset pages", () => {
  test("the data has ties on created_at, and pages of 7 split them", async () => {
    const ties = await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM conversions GROUP BY created_at HAVING count(*) = 3`;
    expect(ties.length).toBe(COUNT / 3);
  });

  test.each([
    ["newest first", { pageSize: 7 }, {}, newest],
    ["oldest first", { pageSize: 7, dir: "asc" }, {}, [{ createdAt: "asc" }, { number: "asc" }]],
    ["guest A to Z", { pageSize: 11, sort: "guest" }, {}, [{ guestName: "asc" }, { number: "asc" }]],
    ["guest Z to A", { pageSize: 11, sort: "guest", dir: "desc" }, {}, [{ guestName: "desc" }, { number: "desc" }]],
    ["failed or interrupted", { pageSize: 9, status: "failed,interrupted" }, { status: { in: ["failed", "interrupted"] } }, newest],
    ["started by bob", { pageSize: 13, user: "bob@example.test" }, { createdByEmail: "bob@example.test" }, newest],
    ["profile lab", { pageSize: 13, profile: "lab" }, { profile: "lab" }, newest],
    ["a date range", { pageSize: 10, from: "2026-11-10", to: "2026-11-12" }, { createdAt: { gte: new Date("2026-11-10T00:00:00Z"), lt: new Date("2026-11-13T00:00:00Z") } }, newest],
    ["guest name contains (any case)", { pageSize: 5, guest: "WEB-0" }, { guestName: { contains: "web-0", mode: "insensitive" } }, newest],
    [
      "everything at once",
      { pageSize: 3, status: "succeeded", user: "alice@example.test", profile: "lab", guest: "a", from: "2026-11-05", to: "2026-11-25", sort: "guest" },
      { status: "succeeded", createdByEmail: "alice@example.test", profile: "lab", guestName: { contains: "a", mode: "insensitive" }, createdAt: { gte: new Date("2026-11-05T00:00:00Z"), lt: new Date("2026-11-26T00:00:00Z") } },
      [{ guestName: "asc" }, { number: "asc" }],
    ],
  ] as [string, TConversionFilter, Prisma.ConversionWhereInput, Prisma.ConversionOrderByWithRelationInput[]][])(
    "%s: every row once, in order, forward and back",
    async (_name, filter, where, orderBy) => {
      const expected = await plainly(where, orderBy);
      expect(expected.length).toBeGreaterThan(0);
      const { forward, backward } = await walk(filter);
      expect(forward.flat()).toEqual(expected);
      expect(backward).toEqual(forward);
      expect(forward.slice(0, -1).every((p) => p.length === filter.pageSize)).toBe(true);
      expect((await listConversions(prisma, filter, NOW)).total).toBe(expected.length);
    },
  );

  test("a conversion started meanwhile does not shift the next page", async () => {
    const first = await listConversions(prisma, { pageSize: 20 }, NOW);
    const expected = await plainly({}, newest);
    await prisma.conversion.create({ data: { id: "h-new", guestName: "late-arrival", status: "queued", request: {}, createdByEmail: "alice@example.test", createdAt: new Date(NOW.getTime() + 1000) } });
    const second = await listConversions(prisma, { pageSize: 20, after: first.next! }, NOW);
    expect(second.items.map((i) => i.id)).toEqual(expected.slice(20, 40));
    expect((await listConversions(prisma, { pageSize: 1 }, NOW)).items[0]!.guestName).toBe("late-arrival");
    await prisma.conversion.delete({ where: { id: "h-new" } });
  });

  test("a cursor that is not one (edited URL) starts from the first page", async () => {
    const page = await listConversions(prisma, { pageSize: 5, after: "not-a-cursor" }, NOW);
    expect(page.items.map((i) => i.id)).toEqual((await plainly({}, newest)).slice(0, 5));
    expect(page.prev).toBeNull();
  });
});

describe("what a row shows", () => {
  test("status chips count under the other filters; a row has who, agent, start and duration", async () => {
    const page = await listConversions(prisma, { user: "bob@example.test", status: "succeeded", pageSize: 1 }, NOW);
    const byStatus = await prisma.conversion.groupBy({ by: ["status"], where: { createdByEmail: "bob@example.test" }, _count: { _all: true } });
    expect(page.counts).toEqual(Object.fromEntries(byStatus.map((g) => [g.status, g._count._all])));
    const row = page.items[0]!;
    const stored = await prisma.conversion.findUniqueOrThrow({ where: { id: row.id } });
    expect(row).toMatchObject({ status: "succeeded", createdByEmail: "bob@example.test", source: `xen+ssh://root@xen.example/ ${stored.guestName}`, output: "libvirt default", agent: null });
    expect(row.durationMs).toBe(stored.finishedAt!.getTime() - stored.startedAt!.getTime());
    const running = (await listConversions(prisma, { status: "running", pageSize: 1 }, NOW)).items[0]!;
    expect(running.durationMs).toBe(NOW.getTime() - running.startedAt!.getTime());
    expect((await listConversions(prisma, { status: "queued", pageSize: 1 }, NOW)).items[0]!.durationMs).toBeNull();
  });

  test("a guest name with % or _ is searched literally", async () => {
    await prisma.conversion.create({ data: { id: "h-pct", guestName: "100%_done", status: "failed", request: {}, createdByEmail: "alice@example.test" } });
    expect((await listConversions(prisma, { guest: "0%_d" })).items.map((i) => i.guestName)).toEqual(["100%_done"]);
    expect((await listConversions(prisma, { guest: "%" })).items.map((i) => i.guestName)).toEqual(["100%_done"]);
    await prisma.conversion.delete({ where: { id: "h-pct" } });
  });

  test("the filters offer who started conversions and the profiles used", async () => {
    expect(await listHistoryChoices(prisma)).toEqual({ users: ["alice@example.test", "bob@example.test", "carol@example.test", "system"], profiles: ["lab", "rhel-pool", "windows"] });
  });
});
