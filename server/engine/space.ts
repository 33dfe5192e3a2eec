// Free space on the output filesystem: measured before any byte is copied (`qemu-img measure`
// says what each volume will take in its output format and allocation, summed per filesystem),
// and looked at again when a copy fails, so "the disk filled up under us" is said as such,
// with the path and the figures, instead of qemu-img's write error alone.
import { stat, statfs } from "node:fs/promises";
import path from "node:path";
import type { StageContext } from "./context.ts";
import { run, type Env } from "./tools.ts";

/** The output (or scratch) filesystem has less room than the conversion needs. */
export class DiskSpaceError extends Error {
  readonly code = "NO_SPACE";
  readonly path: string;
  readonly neededBytes: number;
  readonly freeBytes: number;
  constructor(message: string, where: string, neededBytes: number, freeBytes: number) {
    super(message);
    this.name = "DiskSpaceError";
    this.path = where;
    this.neededBytes = neededBytes;
    this.freeBytes = freeBytes;
  }
}

/** 1536 -> "1.5 KiB"; with the exact byte count alongside in messages. */
export function formatBytes(n: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${v.toFixed(1)} ${units[u]}`;
}

const both = (n: number) => (n < 1024 ? `${n} bytes` : `${formatBytes(n)} (${n} bytes)`);

/** Bytes an unprivileged writer may still use on the filesystem holding `dir`. */
export async function freeBytes(dir: string): Promise<number> {
  const fs = await statfs(dir);
  return Number(fs.bavail) * Number(fs.bsize);
}

export type MeasureInput = { source: string; sourceFormat: string; format: "raw" | "qcow2"; allocation: "sparse" | "preallocated" };

/**
 * `qemu-img measure`: what the output volume will occupy (fully allocated when preallocated).
 * For a sparse raw output measure answers the virtual size (a raw file's length), not the
 * blocks it takes, so the qcow2 measure stands in: the allocated data plus a little metadata.
 */
export async function measureOutput(ctx: StageContext, qemuImg: string, input: MeasureInput, env?: Env): Promise<number> {
  const as = input.format === "raw" && input.allocation === "sparse" ? "qcow2" : input.format;
  const args = ["measure", "--output=json", "-f", input.sourceFormat, "-O", as, input.source];
  const { stdout } = await run(ctx, qemuImg, args, { env });
  const m = JSON.parse(stdout) as { required?: unknown; "fully-allocated"?: unknown };
  const value = input.allocation === "preallocated" ? m["fully-allocated"] : m.required;
  if (typeof value !== "number") throw new Error(`qemu-img measure gave no size for ${input.source}`);
  return value;
}

/**
 * Refuses, before anything is written, when the volumes planned on one filesystem need more
 * than it has free. `volumes` are the ones this copy will create (reused ones take no room).
 */
export async function checkFreeSpace(volumes: readonly { name: string; target: string; bytes: number }[]): Promise<void> {
  const byDevice = new Map<number, { dir: string; names: string[]; bytes: number }>();
  for (const v of volumes) {
    const dir = path.dirname(v.target);
    const dev = (await stat(dir)).dev;
    const entry = byDevice.get(dev) ?? { dir, names: [], bytes: 0 };
    entry.names.push(v.name);
    entry.bytes += v.bytes;
    byDevice.set(dev, entry);
  }
  for (const { dir, names, bytes } of byDevice.values()) {
    const free = await freeBytes(dir);
    if (bytes > free) {
      throw new DiskSpaceError(
        `Not enough free space in ${dir} for the output: ${names.join(", ")} ${names.length === 1 ? "needs" : "need"} ${both(bytes)} (qemu-img measure), ${both(free)} free. ` +
          "Free up space there or choose other output storage; nothing was copied.",
        dir,
        bytes,
        free,
      );
    }
  }
}

/**
 * Refuses to start writing `file` (e.g. the transfer ISO into the scratch dir) when its
 * filesystem has less than `bytes` free. A directory that does not exist is left to the writer
 * to report.
 */
export async function checkRoomFor(what: string, file: string, bytes: number): Promise<void> {
  const dir = path.dirname(file);
  const free = await freeBytes(dir).catch(() => undefined);
  if (free === undefined || bytes <= free) return;
  throw new DiskSpaceError(`Not enough free space in ${dir} for ${what}: ${both(bytes)} needed, ${both(free)} free. Free up space there or give the agent another scratch directory.`, dir, bytes, free);
}

/**
 * After a copy failed: if what was left to write no longer fits in what is free, the filesystem
 * filled up (ENOSPC, whoever else was writing); returns the error to report, else undefined.
 */
export async function spaceRanOut(volume: { name: string; target: string; bytes: number }, doing = `copying ${volume.name}`): Promise<DiskSpaceError | undefined> {
  const dir = path.dirname(volume.target);
  const written = await stat(volume.target).then((s) => s.blocks * 512, () => 0);
  const left = Math.max(0, volume.bytes - written);
  const free = await freeBytes(dir).catch(() => undefined);
  if (free === undefined || (left > 0 ? free >= left : free > 1024 * 1024)) return undefined;
  return new DiskSpaceError(
    `No space left in ${dir} while ${doing}: ${both(left)} still to write, ${both(free)} free ` +
      "(the filesystem filled up during the copy). The partial file was removed; free up space there and retry.",
    dir,
    left,
    free,
  );
}
