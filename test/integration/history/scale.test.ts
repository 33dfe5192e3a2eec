// The history list and the dashboard at 100,000 conversions: pages stay correct deep into the
// list under every filter, and the server time per page is measured and printed (p50/p95; never
// asserted: speed is reported, not gated).
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadDashboard } from "../../../server/conversions/dashboard.ts";
import { listHistoryChoices } from "../../../server/conversions/history-choices.ts";
import { listConversions } from "../../../server/conversions/list-conversions.ts";
import type { Db } from "../../../server/db/client.ts";
import { freshDatabase } from "../db.ts";
import { SCALE_FILTERS, seedHistory } from "./seed.ts";

let prisma: Db;
const NOW = new Date("2026-11-30T12:00:00.000Z");
const COUNT = 100_000;
const figures: string[] = [];

beforeAll(async () => {
  ({ prisma } = await freshDatabase("history_scale"));
  const t = performance.now();
  await seedHistory(prisma, { count: COUNT, now: NOW, spanDays: 365, prefix: "s" });
  figures.push(`seeded ${COUNT} conversions in ${Math.round(performance.now() - t)} ms`);
}, 600_000);
afterAll(async () => {
  process.stderr.write(`\nhistory at ${COUNT} conversions (server time per call, ms):\n${figures.map((f) => `  ${f}`).join("\n")}\n`);
  await prisma?.$disconnect();
});

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

async function timed<T>(times: number[], run: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const out = await run();
  times.push(performance.now() - t);
  return out;
}

describe(`${COUNT} conversions`, () => {
  test.each(SCALE_FILTERS)("%s: 40 pages of 50 walked, each row once", async (name, filter) => {
    const times: number[] = [];
    const seen = new Set<string>();
    let page = await timed(times, () => listConversions(prisma, { ...filter, pageSize: 50 }, NOW));
    const total = page.total;
    for (const i of page.items) seen.add(i.id);
    for (let n = 1; n < 40 && page.next; n++) {
      const after: string = page.next;
      page = await timed(times, () => listConversions(prisma, { ...filter, pageSize: 50, after }, NOW));
      for (const i of page.items) seen.add(i.id);
    }
    expect(seen.size).toBe(Math.min(total, 40 * 50));
    figures.push(`${name} (${total} match): p50 ${pct(times, 50).toFixed(1)}, p95 ${pct(times, 95).toFixed(1)}, max ${Math.max(...times).toFixed(1)} over ${times.length} pages`);
  });

  test("a page 1,000 pages deep costs what the first does", async () => {
    // Jump straight to a cursor deep in the list (what following "Next page" 1,000 times reaches).
    const deep = await prisma.conversion.findMany({ orderBy: [{ createdAt: "desc" }, { number: "desc" }], skip: 50_000, take: 1, select: { createdAt: true, number: true } });
    const after = Buffer.from(JSON.stringify([deep[0]!.createdAt.toISOString(), deep[0]!.number])).toString("base64url");
    const times: number[] = [];
    let page;
    for (let i = 0; i < 20; i++) page = await timed(times, () => listConversions(prisma, { pageSize: 50, after }, NOW));
    expect(page!.items).toHaveLength(50);
    figures.push(`page at row 50,000: p50 ${pct(times, 50).toFixed(1)}, p95 ${pct(times, 95).toFixed(1)}`);
  });

  test("the dashboard and the filter choices", async () => {
    const dash: number[] = [];
    const choices: number[] = [];
    for (let i = 0; i < 10; i++) {
      const d = await timed(dash, () => loadDashboard(prisma, { days: 14, now: NOW }));
      expect(d.days).toHaveLength(14);
      expect(d.failures.length).toBe(5);
      await timed(choices, () => listHistoryChoices(prisma));
    }
    figures.push(`dashboard (14 days, failure groups): p50 ${pct(dash, 50).toFixed(1)}, p95 ${pct(dash, 95).toFixed(1)}`);
    figures.push(`filter choices (users, profiles): p50 ${pct(choices, 50).toFixed(1)}, p95 ${pct(choices, 95).toFixed(1)}`);
  });
});
