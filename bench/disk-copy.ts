// Disk copy: Ferry's copy stage (copyDisks, called as the pipeline calls it: one request per
// disk, the output format and allocation, progress parsed from -p) against plain
// `qemu-img convert` on the same source and target, raw -> qcow2 and raw -> raw, sparse.
// Data set: a sparse 4 GiB raw image with 1 GiB of data in 8 extents (and the same data in a
// 16 GiB image, to show the time follows the allocated bytes, not the virtual size).
// Ratio = baseline time / Ferry time (medians of alternating runs): 1.00 is "as fast as
// qemu-img", 0.95 is "5% slower", the goal.
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { rmSync, statSync } from "node:fs";
import path from "node:path";
import { createMemoryContext } from "../server/engine/context.ts";
import { copyDisks, type OutputFormat } from "../server/engine/copy.ts";
import { allocatedBytes, alternate, GiB, scratchDir, seconds, sparseImage, timed } from "./disk-images.ts";
import { median } from "./stats.ts";
import type { BenchRow } from "./types.ts";

const quick = process.env.FERRY_BENCH_QUICK === "1";
const ROUNDS = quick ? 3 : 5;

// Started the same way as Ferry's (an async child process), so neither side pays for a blocked event loop.
const qemuImgConvert = (source: string, target: string, format: OutputFormat) =>
  promisify(execFile)("qemu-img", ["convert", "-f", "raw", "-O", format, source, target]);

// As the pipeline calls it: format and virtual size come from the plan, measured when planning.
async function ferryCopy(dir: string, source: string, target: string, format: OutputFormat): Promise<void> {
  const ctx = createMemoryContext({ scratchDir: dir });
  const virtualSize = statSync(source).size;
  await copyDisks(ctx, [{ name: path.basename(source), source, sourceFormat: "raw", virtualSize, target, format, allocation: "sparse" }], { format, allocation: "sparse" });
}

export async function run(): Promise<BenchRow[]> {
  const tmp = scratchDir("disk-copy");
  try {
    const src4 = path.join(tmp.dir, "guest-4g.img");
    const src16 = path.join(tmp.dir, "guest-16g.img");
    sparseImage(src4, 4 * GiB, 1 * GiB);
    sparseImage(src16, 16 * GiB, 1 * GiB);
    const allocated = allocatedBytes(src4);
    // Warm the page cache for both sources: every measured run then starts from the same state.
    for (const s of [src4, src16]) execFileSync("qemu-img", ["convert", "-f", "raw", "-O", "raw", s, path.join(tmp.dir, "warm")]);
    rmSync(path.join(tmp.dir, "warm"), { force: true });

    const rows: BenchRow[] = [];
    for (const format of ["qcow2", "raw"] as const) {
      const target = path.join(tmp.dir, `out.${format}`);
      const runs = await alternate(
        ROUNDS,
        () => qemuImgConvert(src4, target, format),
        () => ferryCopy(tmp.dir, src4, target, format),
        () => rmSync(target, { force: true }),
      );
      const base = median(runs.baseline);
      const ferry = median(runs.ferry);
      const ratio = base / ferry;
      rows.push({
        what: `disk copy raw -> ${format} sparse, 4 GiB image, 1 GiB data (median of ${ROUNDS} alternating runs)`,
        baseline: `${seconds(base)} (qemu-img convert)`,
        ferry: `${seconds(ferry)} (ratio ${ratio.toFixed(2)} = baseline/Ferry)`,
        goal: ">= 0.95",
        pass: ratio >= 0.95,
        raw: { baselineMs: base, ferryMs: ferry, ratio, allocatedBytes: allocated, ...Object.fromEntries(runs.ferry.map((v, i) => [`ferryRun${i}`, v])), ...Object.fromEntries(runs.baseline.map((v, i) => [`baselineRun${i}`, v])) },
      });
    }

    // Same 1 GiB of data, 4x the virtual size: a copy that read every byte would take ~4x.
    const t4: number[] = [];
    const t16: number[] = [];
    const target = path.join(tmp.dir, "scale.raw");
    for (let i = 0; i < ROUNDS; i++) {
      for (const [src, out] of (i % 2 ? [[src16, t16], [src4, t4]] : [[src4, t4], [src16, t16]]) as [string, number[]][]) {
        rmSync(target, { force: true });
        out.push(await timed(() => ferryCopy(tmp.dir, src, target, "raw")));
      }
    }
    rmSync(target, { force: true });
    const m4 = median(t4);
    const m16 = median(t16);
    const scale = m16 / m4;
    rows.push({
      what: "disk copy time vs virtual size: 1 GiB data in 16 GiB vs in 4 GiB (Ferry, raw -> raw sparse)",
      baseline: `${seconds(m4)} (4 GiB image)`,
      ferry: `${seconds(m16)} (16 GiB image, x${scale.toFixed(2)})`,
      goal: "<= x1.25 (x4 if it followed virtual size)",
      pass: scale <= 1.25,
      raw: { ms4GiB: m4, ms16GiB: m16, ratio: scale },
    });
    return rows;
  } finally {
    tmp.cleanup();
  }
}
