// The dashboard's aggregates against generated rows, checked against the same figures worked
// out in the test from the rows themselves; failures grouped by cause, a retried failure
// counted, and the success that followed it linked.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { requestCancel, retry } from "../../../server/conversions/change-conversion.ts";
import { dailyStats } from "../../../server/conversions/dashboard-daily.ts";
import { failureGroups } from "../../../server/conversions/dashboard-failures.ts";
import { loadDashboard } from "../../../server/conversions/dashboard.ts";
import type { Db } from "../../../server/db/client.ts";
import { freshDatabase } from "../db.ts";
import { seedHistory } from "./seed.ts";

let prisma: Db;
const NOW = new Date("2026-11-30T12:00:00.000Z");
const ADMIN = { id: null, email: "ops@example.test", ip: "127.0.0.1" };

beforeAll(async () => {
  ({ prisma } = await freshDatabase("history_dashboard"));
  // Ten days, ending a day before NOW: everything seeded has finished before the retried case below.
  await seedHistory(prisma, { count: 300, now: new Date(NOW.getTime() - 86_400_000), spanDays: 10, prefix: "d" });
});
afterAll(async () => prisma?.$disconnect());

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

describe("per-day figures", () => {
  test("outcomes, median duration and bytes moved per UTC day match the rows", async () => {
    const days = await dailyStats(prisma, { days: 14, now: NOW });
    expect(days.map((d) => d.day)).toEqual(Array.from({ length: 14 }, (_, i) => new Date(Date.parse("2026-11-17T00:00:00Z") + i * 86_400_000).toISOString().slice(0, 10)));
    const rows = await prisma.conversion.findMany({ where: { finishedAt: { not: null } } });
    for (const d of days) {
      const that = rows.filter((r) => r.finishedAt!.toISOString().slice(0, 10) === d.day);
      const ok = that.filter((r) => r.status === "succeeded" && !r.dryRun);
      expect(d.counts).toEqual({
        succeeded: that.filter((r) => r.status === "succeeded").length,
        failed: that.filter((r) => r.status === "failed").length,
        cancelled: that.filter((r) => r.status === "cancelled").length,
        interrupted: that.filter((r) => r.status === "interrupted").length,
        planned: that.filter((r) => r.status === "planned").length,
      });
      expect(d.medianSeconds).toBe(median(ok.map((r) => (r.finishedAt!.getTime() - r.startedAt!.getTime()) / 1000)));
      expect(d.bytes).toBe(ok.reduce((n, r) => n + ((r.result as { disks: { virtualSize: number }[] }).disks[0]!.virtualSize), 0));
    }
    expect(days.reduce((n, d) => n + d.counts.succeeded, 0)).toBeGreaterThan(100);
  });

  test("a successful run without a result counts its plan's disks", async () => {
    await prisma.conversion.create({
      data: { id: "d-plan-only", guestName: "plan-only", status: "succeeded", request: {}, createdByEmail: "alice@example.test", startedAt: new Date(NOW.getTime() - 3_600_000), finishedAt: new Date(NOW.getTime() - 3_000_000), plan: { disks: [{ source: { virtualSize: 1000 } }, { source: { virtualSize: 24 } }] } },
    });
    const today = (await dailyStats(prisma, { days: 1, now: NOW }))[0]!;
    expect(today).toMatchObject({ day: "2026-11-30", bytes: 1024, medianSeconds: 600, counts: { succeeded: 1 } });
    await prisma.conversion.delete({ where: { id: "d-plan-only" } });
  });
});

describe("failures by cause", () => {
  test("the same cause with different guests, paths, UUIDs and numbers is one group; each group lists its conversions", async () => {
    const groups = await failureGroups(prisma, { since: new Date("2026-11-01T00:00:00Z"), perGroup: 1000 });
    const failed = await prisma.conversion.findMany({ where: { status: { in: ["failed", "interrupted"] } }, select: { id: true, error: true } });
    expect(groups.map((g) => g.key).sort()).toEqual([
      "Domain <name> already exists on the target.",
      "Storage domain <uuid> has no master/vms directory",
      "The agent agent-<n> stopped sending heartbeats (silent for <n> s; the timeout is <n> s): this attempt was interrupted.",
      "qemu-img: Could not open '<path>': No such file or directory",
      "virt-v2v-in-place: error: no installed kernel packages were found (<n> checked)",
    ].sort());
    expect(groups.reduce((n, g) => n + g.count, 0)).toBe(failed.length);
    expect(groups.flatMap((g) => g.occurrences.map((o) => o.conversionId)).sort()).toEqual(failed.map((f) => f.id).sort());
    for (const g of groups) {
      expect(g.occurrences.map((o) => o.at.getTime())).toEqual([...g.occurrences.map((o) => o.at.getTime())].sort((a, b) => b - a));
      expect(g.example).toBe(g.occurrences[0]!.error);
      expect(g.lastSucceeded).toBeNull();
    }
  });

  test("a failure a retry cleared still counts, and the run that then succeeded is the group's last success", async () => {
    const at = new Date(NOW.getTime() - 2 * 3_600_000);
    await prisma.conversion.create({
      data: { id: "d-retried", guestName: "phoenix", status: "failed", request: {}, createdByEmail: "alice@example.test", attempt: 1, plan: { disks: [] }, startedAt: at, finishedAt: at, error: "Domain phoenix already exists on the target.", errorCode: "FAILED" },
    });
    const before = (await failureGroups(prisma, { since: new Date("2026-11-01T00:00:00Z") })).find((g) => g.key === "Domain <name> already exists on the target.")!;
    await retry(prisma, ADMIN, "d-retried");
    // The retry's audit record is stamped with the real clock: the success comes after it.
    const done = new Date(Date.now() + 1000);
    const { number } = await prisma.conversion.update({ where: { id: "d-retried" }, data: { status: "succeeded", attempt: 2, startedAt: new Date(done.getTime() - 600_000), finishedAt: done } });
    const group = (await failureGroups(prisma, { since: new Date("2026-11-01T00:00:00Z") })).find((g) => g.key === before.key)!;
    expect(group.count).toBe(before.count);
    expect(group.occurrences[0]).toMatchObject({ conversionId: "d-retried", guestName: "phoenix", error: "Domain phoenix already exists on the target." });
    expect(group.lastSucceeded).toEqual({ conversionId: "d-retried", number, guestName: "phoenix", finishedAt: done });
  });

  test("loadDashboard: running now with progress, the queue, the days, the groups", async () => {
    const d = await loadDashboard(prisma, { days: 14, now: NOW });
    const running = await prisma.conversion.count({ where: { status: "running" } });
    expect(d.running.total).toBe(running);
    expect(d.running.items.length).toBe(Math.min(10, running));
    expect(d.running.items.every((i) => i.status === "running" && i.durationMs !== null)).toBe(true);
    expect(d.queued).toBe(await prisma.conversion.count({ where: { status: "queued" } }));
    expect(d.days).toHaveLength(14);
    expect(d.failures.length).toBe(5);
    // A cancel of a queued row is not a failure.
    const q = await prisma.conversion.findFirstOrThrow({ where: { status: "queued" } });
    await requestCancel(prisma, ADMIN, q.id);
    expect((await loadDashboard(prisma, { days: 14, now: NOW })).failures.reduce((n, g) => n + g.count, 0)).toBe(d.failures.reduce((n, g) => n + g.count, 0));
  });
});
