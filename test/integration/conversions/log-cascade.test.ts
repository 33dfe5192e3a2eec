// conversion_logs has no foreign key to conversions (migration 20261202070000_logs_cascade_trigger:
// its per-row check was a third of appendLogs' insert). What the key's ON DELETE CASCADE did,
// triggers do: deleting conversions, one or many, or truncating the table removes their log lines
// and only theirs; and a line numbered by the trigger for a conversion that does not exist is
// still refused.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../../../server/db/client.ts";
import { seedConversion } from "../agents/helpers.ts";
import { freshDatabase } from "../db.ts";

let prisma: Db;

beforeAll(async () => {
  ({ prisma } = await freshDatabase("conversion_log_cascade"));
});
afterAll(async () => prisma?.$disconnect());

/** A conversion with `n` log lines (numbered by the trigger, as any writer but appendLogs does). */
async function withLines(n: number): Promise<string> {
  const id = await seedConversion(prisma, { guestName: `cascade-${randomUUID().slice(0, 6)}` });
  await prisma.conversionLog.createMany({ data: Array.from({ length: n }, (_, seq) => ({ conversionId: id, attempt: 1, seq, level: "info", stage: "copy", message: `line ${seq}` })) });
  return id;
}

const linesOf = (id: string) => prisma.conversionLog.count({ where: { conversionId: id } });

describe("a conversion's log lines go with it", () => {
  test("deleting one conversion removes its lines and leaves the others'", async () => {
    const gone = await withLines(3);
    const kept = await withLines(2);
    expect([await linesOf(gone), await linesOf(kept)]).toEqual([3, 2]);
    await prisma.conversion.delete({ where: { id: gone } });
    expect([await linesOf(gone), await linesOf(kept)]).toEqual([0, 2]);
  });

  test("deleting several in one statement removes all their lines", async () => {
    const ids = [await withLines(4), await withLines(1), await withLines(5)];
    const kept = await withLines(3);
    expect(await prisma.conversion.deleteMany({ where: { id: { in: ids } } })).toEqual({ count: 3 });
    expect(await prisma.conversionLog.count({ where: { conversionId: { in: ids } } })).toBe(0);
    expect(await linesOf(kept)).toBe(3);
  });

  test("a line for a conversion that does not exist is refused", async () => {
    await expect(prisma.conversionLog.create({ data: { conversionId: "no-such-conversion", attempt: 1, seq: 0, level: "info", stage: "copy", message: "orphan" } })).rejects.toThrow();
    expect(await linesOf("no-such-conversion")).toBe(0);
  });

  test("truncating conversions truncates their lines too", async () => {
    await withLines(2);
    await prisma.$executeRawUnsafe("TRUNCATE conversions CASCADE");
    expect(await prisma.conversionLog.count()).toBe(0);
  });
});
