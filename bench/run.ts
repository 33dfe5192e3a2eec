// Runs every benchmark module, prints one table and writes bench/results.json (given modules
// replace their own rows there and leave the others').
//   npx tsx bench/run.ts                      all modules listed below
//   npx tsx bench/run.ts bench/v2v-matching.ts   only the given ones
//   npm run bench -- --quick                  fewer rounds, and skips the minutes-long rows (whole conversion)
// To add rows, write a module exporting `async function run(): Promise<BenchRow[]>` and list it.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import type { BenchModule, BenchRow } from "./types.ts";

const MODULES: string[] = [
  "./v2v-matching.ts",
  "./disk-copy.ts",
  "./local-overhead.ts",
  "./queue.ts",
  "./page-weight.ts",
  "./log-throughput.ts",
  "./log-latency.ts",
  "./history.ts",
  "./conversion.ts",
];

const here = new URL(".", import.meta.url);

async function load(spec: string): Promise<BenchModule> {
  const url = spec.startsWith("./") ? new URL(spec, here).href : pathToFileURL(resolve(spec)).href;
  return (await import(url)) as BenchModule;
}

function table(rows: { module: string; row: BenchRow }[]): string {
  const header = ["what", "baseline", "Ferry", "goal", "result"];
  const cells = rows.map(({ row }) => [
    row.what,
    row.baseline,
    row.ferry,
    row.goal,
    row.pass === null ? "INFO" : row.pass ? "PASS" : "FAIL",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? "").length)));
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

const args = process.argv.slice(2);
// Modules read FERRY_BENCH_QUICK themselves (fewer rounds; the whole-conversion row is skipped).
if (args.includes("--quick")) process.env.FERRY_BENCH_QUICK = "1";
const named = args.filter((a) => !a.startsWith("--"));
const specs = named.length > 0 ? named : MODULES;
const results: { module: string; row: BenchRow }[] = [];
for (const spec of specs) {
  const mod = await load(spec);
  for (const row of await mod.run()) results.push({ module: spec, row });
}

console.log(table(results));
const out = new URL("results.json", here);
const tmp = new URL("results.json.tmp", here);
// Only some modules run: the other modules' rows of the last run stay (each row keeps its own date).
const date = new Date().toISOString();
type StoredRow = BenchRow & { module: string; date?: string };
const last = named.length > 0 && existsSync(out) ? (JSON.parse(readFileSync(out, "utf8")) as { date?: string; rows?: StoredRow[] }) : {};
const previous = last.rows ?? [];
const previousDate = last.date;
const fresh: StoredRow[] = results.map(({ module, row }) => ({ module, ...row, date }));
const base = (m: string) => m.replace(/^.*\//, "");
const kept = previous.filter((r) => !specs.some((s) => base(s) === base(r.module))).map((r) => ({ ...r, date: r.date ?? previousDate }));
const order = (r: StoredRow) => MODULES.findIndex((m) => base(m) === base(r.module)) + 1 || MODULES.length + 1;
writeFileSync(tmp, JSON.stringify({ date, node: process.version, rows: [...kept, ...fresh].sort((a, b) => order(a) - order(b)) }, null, 2) + "\n");
renameSync(tmp, out);
const failed = results.filter((r) => r.row.pass === false).length;
console.log(`\n${results.length} rows, ${failed} below goal; written to bench/results.json`);
