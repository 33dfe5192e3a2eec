// History at scale: 100,000 conversions (test/integration/history/seed.ts) and 10 million log
// lines (100 conversions with 50,000 lines each, the rest with 50) in an embedded PostgreSQL
// kept under the temp dir between runs (seeding takes minutes; a changed seed version or a
// missing database seeds again; new migrations are applied either way). Measured as server
// time per call: the conversions list walked page by page under every filter the console
// offers, and the log API's page `after=SEQ` (what `ferry convert --server` polls) at random
// points of small and 50,000-line logs. Baselines: the list read the naive way (OFFSET paging
// and a COUNT of the table), the log page read as it was before (three queries in turn, a COUNT
// of the lines before SEQ).
import { existsSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { getConversion } from "../server/conversions/get-conversion.ts";
import { listConversions } from "../server/conversions/list-conversions.ts";
import { createPrisma, type Db } from "../server/db/client.ts";
import { startEmbeddedPostgres } from "../server/db/embedded-postgres.ts";
import { applyMigrations } from "../server/db/migrate.ts";
import { SCALE_FILTERS as FILTERS, seedHistory } from "../test/integration/history/seed.ts";
import { percentile } from "./stats.ts";
import type { BenchRow } from "./types.ts";

const PG_PORT = 54542;
const CONVERSIONS = 100_000;
const BIG_EVERY = 1000; // every 1,000th conversion has a long log
const BIG_LINES = 50_000;
const SMALL_LINES = 50;
const SEED_VERSION = `v1:${CONVERSIONS}:${BIG_EVERY}:${BIG_LINES}:${SMALL_LINES}`;
const NOW = new Date("2026-11-30T12:00:00.000Z");
const PAGE = 50;
const LOG_PAGE = 1000;


async function seeded(prisma: Db): Promise<boolean> {
  await prisma.$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS bench_seed (version text PRIMARY KEY)`);
  const rows = await prisma.$queryRawUnsafe<{ version: string }[]>(`SELECT version FROM bench_seed`);
  return rows.some((r) => r.version === SEED_VERSION);
}

/** 10 million log lines with generate_series, numbered and counted as appendLogs would. */
async function seedLogs(prisma: Db): Promise<void> {
  await prisma.$executeRawUnsafe(`TRUNCATE conversion_logs`);
  // Bulk load the way pg_restore does: indexes built once afterwards, not row by row.
  const indexes = await prisma.$queryRawUnsafe<{ name: string; def: string }[]>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename = 'conversion_logs' AND indexname <> 'conversion_logs_pkey'`,
  );
  for (const i of indexes) await prisma.$executeRawUnsafe(`DROP INDEX "${i.name}"`);
  // One statement per slice of conversions keeps each transaction (and its WAL) moderate.
  const slices = 20;
  const per = CONVERSIONS / slices;
  for (let s = 0; s < slices; s++) {
    // Without the per-row triggers (the line-numbering one and the foreign key's): the rows
    // come numbered and their conversions exist.
    await prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL session_replication_role = replica`);
      await tx.$executeRawUnsafe(`
      INSERT INTO conversion_logs (conversion_id, attempt, seq, line, at, level, stage, message)
      SELECT c.id, 1, n - 1, n, c.created_at + make_interval(secs => n * 0.01),
             (ARRAY['info','info','info','debug','warn'])[1 + n % 5],
             (ARRAY['source','inspect','copy','convert','output'])[1 + (n * 5 / c.total)::int % 5],
             'Copying disk 1/1 to /var/lib/libvirt/images/' || c.guest_name || '-sda.raw: block ' || n || ' of 4194304'
      FROM (SELECT id, guest_name, created_at, CASE WHEN (split_part(id, '-', 2))::int % ${BIG_EVERY} = 0 THEN ${BIG_LINES} ELSE ${SMALL_LINES} END AS total
              FROM conversions WHERE (split_part(id, '-', 2))::int BETWEEN ${s * per + 1} AND ${(s + 1) * per}) c
      CROSS JOIN LATERAL generate_series(1, c.total) AS n
      ORDER BY c.id, n`);
    }, { timeout: 600_000, maxWait: 60_000 });
  }
  for (const i of indexes) await prisma.$executeRawUnsafe(i.def);
  await prisma.$executeRawUnsafe(`UPDATE conversions c SET log_lines = CASE WHEN (split_part(id, '-', 2))::int % ${BIG_EVERY} = 0 THEN ${BIG_LINES} ELSE ${SMALL_LINES} END`);
}

/** The log page as it was read before (one query after another, and a COUNT of the earlier lines). */
async function previousLogPage(prisma: Db, id: string, afterSeq: number): Promise<void> {
  const row = await prisma.conversion.findUnique({ where: { id }, include: { agent: { select: { id: true, name: true, kind: true, hostname: true } } } });
  const lines = await prisma.conversionLog.findMany({ where: { conversionId: id, attempt: row!.attempt, seq: { gt: afterSeq } }, orderBy: { seq: "asc" }, take: LOG_PAGE, select: { seq: true, at: true, level: true, stage: true, message: true } });
  if (lines[0]) await prisma.conversionLog.count({ where: { conversionId: id, attempt: row!.attempt, seq: { lt: lines[0].seq } } });
}

async function timed(times: number[], fn: () => Promise<unknown>): Promise<void> {
  const t = performance.now();
  await fn();
  times.push(performance.now() - t);
}

/** A deterministic pseudo-random sequence, so every run reads the same pages. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

export async function run(): Promise<BenchRow[]> {
  const dataDir = path.join(os.tmpdir(), "ferry-bench-history");
  mkdirSync(dataDir, { recursive: true });
  const fresh = !existsSync(path.join(dataDir, "postgres"));
  const database = await startEmbeddedPostgres({ dataDir, port: PG_PORT, database: "ferry_bench_history" });
  await applyMigrations(database.url);
  const prisma = createPrisma(database.url);
  const rows: BenchRow[] = [];
  try {
    let seedSeconds = 0;
    if (!(await seeded(prisma)) || fresh) {
      const t = performance.now();
      await prisma.$executeRawUnsafe(`TRUNCATE conversions CASCADE`);
      await seedHistory(prisma, { count: CONVERSIONS, now: NOW, spanDays: 365, prefix: "h" });
      await seedLogs(prisma);
      await prisma.$executeRawUnsafe(`VACUUM ANALYZE conversion_logs`);
      await prisma.$executeRawUnsafe(`VACUUM ANALYZE conversions`);
      await prisma.$executeRawUnsafe(`INSERT INTO bench_seed VALUES ('${SEED_VERSION}') ON CONFLICT DO NOTHING`);
      seedSeconds = (performance.now() - t) / 1000;
    }
    const logLines = Number((await prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM conversion_logs`))[0]?.n ?? 0);

    // The list: 20 pages of each filter, following "Next" (keyset), after one warm-up walk.
    const list: number[] = [];
    const naive: number[] = [];
    for (const warm of [true, false]) {
      for (const [, filter] of FILTERS) {
        let after: string | undefined;
        for (let n = 0; n < 20; n++) {
          const t = performance.now();
          const page = await listConversions(prisma, { ...filter, pageSize: PAGE, ...(after ? { after } : {}) }, NOW);
          if (!warm) list.push(performance.now() - t);
          if (!page.next) break;
          after = page.next;
        }
      }
    }
    // Naive baseline: OFFSET paging to the same depth (page 20 of newest first) with a COUNT.
    for (let n = 0; n < 20; n++) {
      await timed(naive, () =>
        Promise.all([
          prisma.$queryRawUnsafe(`SELECT * FROM conversions ORDER BY created_at DESC, number DESC OFFSET ${(n * 500) % 50_000} LIMIT ${PAGE}`),
          prisma.$queryRawUnsafe(`SELECT count(*) FROM conversions`),
        ]),
      );
    }

    // Log pages after=SEQ: the API's call, 1,000 lines a page, at random points.
    const r = lcg(5);
    const logSmall: number[] = [];
    const logBig: number[] = [];
    const naiveLog: number[] = [];
    for (let i = 0; i < 200; i++) {
      const big = i % 2 === 0;
      const k = big ? BIG_EVERY * (1 + Math.floor(r() * (CONVERSIONS / BIG_EVERY))) : 1 + Math.floor(r() * CONVERSIONS);
      const id = `h-${k % BIG_EVERY === 0 && !big ? k - 1 : k}`;
      const total = big ? BIG_LINES : SMALL_LINES;
      const afterSeq = Math.floor(r() * total);
      await timed(big ? logBig : logSmall, () => getConversion(prisma, id, { afterSeq, tail: LOG_PAGE }));
      if (i % 4 === 0) await timed(naiveLog, () => previousLogPage(prisma, id, afterSeq));
    }
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const p = (xs: number[], q: number) => percentile(sorted(xs), q);
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const allLog = [...logSmall, ...logBig];
    const data = `${CONVERSIONS.toLocaleString("en-US")} conversions, ${(logLines / 1e6).toFixed(1)} M log lines`;
    rows.push(
      {
        what: `history list, 9 filters x 20 pages of ${PAGE} (${data})`,
        baseline: `${ms(p(naive, 95))} p95 (OFFSET paging + COUNT)`,
        ferry: `p50 ${ms(p(list, 50))}, p95 ${ms(p(list, 95))}, max ${ms(Math.max(...list))}`,
        goal: "p95 < 50 ms",
        pass: p(list, 95) < 50,
        raw: { p50Ms: p(list, 50), p95Ms: p(list, 95), naiveP95Ms: p(naive, 95), pages: list.length, conversions: CONVERSIONS, logLines, seedSeconds },
      },
      {
        what: `log page after=SEQ, ${LOG_PAGE} lines (${SMALL_LINES}- and ${BIG_LINES.toLocaleString("en-US")}-line logs)`,
        baseline: `${ms(p(naiveLog, 95))} p95 (the previous reads: 3 queries in turn, a COUNT)`,
        ferry: `p50 ${ms(p(allLog, 50))}, p95 ${ms(p(allLog, 95))} (long logs p95 ${ms(p(logBig, 95))})`,
        goal: "p95 < 20 ms",
        pass: p(allLog, 95) < 20,
        raw: { p50Ms: p(allLog, 50), p95Ms: p(allLog, 95), bigLogP95Ms: p(logBig, 95), smallLogP95Ms: p(logSmall, 95), naiveP95Ms: p(naiveLog, 95) },
      },
    );
  } finally {
    await prisma.$disconnect();
    await database.stop();
  }
  return rows;
}
