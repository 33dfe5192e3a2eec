// The history list's status chips come from conversion_counts, which triggers keep as
// conversions are created, move between statuses, change profile, are deleted or truncated:
// after each of those, the chips and totals equal a count of the rows themselves.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { listConversions, type TConversionFilter } from "../../../server/conversions/list-conversions.ts";
import type { Db } from "../../../server/db/client.ts";
import { freshDatabase } from "../db.ts";
import { seedHistory } from "./seed.ts";

let prisma: Db;
const NOW = new Date("2026-11-30T12:00:00.000Z");

beforeAll(async () => {
  ({ prisma } = await freshDatabase("history_status_counts"));
  await seedHistory(prisma, { count: 600, now: NOW, spanDays: 30, prefix: "k" });
});
afterAll(async () => prisma?.$disconnect());

const FILTERS: TConversionFilter[] = [{}, { user: "carol@example.test" }, { profile: "windows" }, { user: "bob@example.test", profile: "lab" }, { status: "failed", user: "alice@example.test" }];

/** The chips as counted from the rows themselves, for the same filter. */
async function countedFromRows(f: TConversionFilter): Promise<Record<string, number>> {
  const rows = await prisma.conversion.groupBy({
    by: ["status"],
    where: { ...(f.user ? { createdByEmail: f.user } : {}), ...(f.profile ? { profile: f.profile } : {}) },
    _count: { _all: true },
  });
  return Object.fromEntries(rows.map((r) => [r.status, r._count._all]));
}

async function expectChipsMatchRows(): Promise<void> {
  for (const f of FILTERS) {
    const page = await listConversions(prisma, { ...f, pageSize: 10 }, NOW);
    const expected = await countedFromRows(f);
    expect(page.counts).toEqual(expected);
    const statuses: string[] = f.status ? [f.status].flat().map(String) : Object.keys(expected);
    expect(page.total).toBe(statuses.reduce((n, s) => n + (expected[s] ?? 0), 0));
  }
}

describe("status chips kept by triggers", () => {
  test("after seeding", expectChipsMatchRows);

  test("after conversions are claimed, finished, retried and moved to another profile", async () => {
    await prisma.conversion.updateMany({ where: { status: "queued" }, data: { status: "running" } });
    await prisma.conversion.updateMany({ where: { status: "running", createdByEmail: "carol@example.test" }, data: { status: "failed" } });
    await prisma.conversion.updateMany({ where: { status: "failed", profile: "lab" }, data: { status: "queued", profile: "windows" } });
    await prisma.conversion.updateMany({ where: { profile: null, status: "succeeded" }, data: { profile: "lab" } });
    await prisma.conversion.updateMany({ where: { createdByEmail: "system", status: "planned" }, data: { createdByEmail: "bob@example.test" } });
    await expectChipsMatchRows();
  });

  test("after deletes and a truncate", async () => {
    await prisma.conversion.deleteMany({ where: { status: "cancelled" } });
    await expectChipsMatchRows();
    await prisma.$executeRawUnsafe("TRUNCATE conversions CASCADE");
    const page = await listConversions(prisma, { pageSize: 10 }, NOW);
    expect(page).toMatchObject({ total: 0, counts: {}, items: [] });
  });
});
