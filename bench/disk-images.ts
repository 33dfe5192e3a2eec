// Shared by the disk benchmarks: the generated data sets (sparse raw images with a known
// amount of data spread over them), timing helpers, and alternating baseline/Ferry runs so a
// noisy neighbour hurts both sides alike.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

export async function timed(fn: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/**
 * Runs baseline, ferry, baseline, ferry... `rounds` times each (with `reset` before every run,
 * e.g. deleting the target) and returns both series of milliseconds.
 */
export async function alternate(
  rounds: number,
  baseline: () => Promise<unknown> | unknown,
  ferry: () => Promise<unknown> | unknown,
  reset: () => void,
): Promise<{ baseline: number[]; ferry: number[] }> {
  const out = { baseline: [] as number[], ferry: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    // Swap who goes first each round: the second run of a pair may find more in the page cache.
    const order: ["baseline" | "ferry", () => Promise<unknown> | unknown][] = [
      ["baseline", baseline],
      ["ferry", ferry],
    ];
    if (i % 2 === 1) order.reverse();
    for (const [side, fn] of order) {
      reset();
      out[side].push(await timed(fn));
    }
  }
  reset();
  return out;
}

export function scratchDir(name: string): { dir: string; cleanup: () => void } {
  const base = process.env.FERRY_BENCH_DIR ?? tmpdir();
  const dir = mkdtempSync(path.join(base, `ferry-bench-${name}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A sparse raw image of `virtualSize` bytes with `dataBytes` of non-zero data written as
 * `pieces` extents spread evenly over it (qemu-io's pattern writes: fast, and not zero, so
 * qemu-img must copy them).
 */
export function sparseImage(file: string, virtualSize: number, dataBytes: number, pieces = 8): void {
  execFileSync("qemu-img", ["create", "-q", "-f", "raw", file, String(virtualSize)]);
  const piece = Math.floor(dataBytes / pieces);
  const stride = Math.floor(virtualSize / pieces);
  const cmds: string[] = [];
  for (let i = 0; i < pieces; i++) {
    // Alternate patterns so no two extents are identical (no dedup shortcut anywhere).
    cmds.push("-c", `write -P 0x${(0x11 + i).toString(16)} ${i * stride} ${piece}`);
  }
  execFileSync("qemu-io", ["-f", "raw", ...cmds, file], { stdio: "ignore" });
}

/** Bytes allocated on the host for a file (st_blocks). */
export function allocatedBytes(file: string): number {
  return statSync(file).blocks * 512;
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
