// The copy stage: each source disk to its output volume with `qemu-img convert`, in the
// output format and allocation, reporting bytes copied. A volume that already exists is
// reused with virt-v2v's warning, never overwritten. Before the first byte, `qemu-img measure`
// and statfs refuse a target filesystem that is too small (space.ts); a copy that fails or is
// cancelled removes every volume this call created, and a full disk is said as such.
import { rm } from "node:fs/promises";
import type { StageContext } from "./context.ts";
import { pathExists } from "./paths.ts";
import { checkFreeSpace, measureOutput, spaceRanOut } from "./space.ts";
import { preflight, run, type Env } from "./tools.ts";

export const COPY_STAGE = "copy";

export type OutputFormat = "raw" | "qcow2";
export type Allocation = "sparse" | "preallocated";

export type CopyRequest = {
  /** The volume name virt-v2v uses in its messages (the source volume's basename). */
  name: string;
  source: string;
  /** The source format when the domain XML says it; otherwise qemu-img probes it. */
  sourceFormat?: string | undefined;
  /**
   * The source's virtual size when already measured (the pipeline's plan has it): with
   * sourceFormat, the copy then starts qemu-img once instead of twice per disk.
   */
  virtualSize?: number | undefined;
  /** The output file; its directory must exist. */
  target: string;
  /** This disk's output format and allocation when they differ per disk (a plan's defaults follow each source disk). */
  format?: OutputFormat | undefined;
  allocation?: Allocation | undefined;
};

export type CopyOptions = { format: OutputFormat; allocation: Allocation; env?: Env };

export type CopyResult = {
  name: string;
  target: string;
  sourceFormat: string;
  format: OutputFormat;
  allocation: Allocation;
  virtualSize: number;
  /** The target existed already and was left as it was. */
  reused: boolean;
  durationMs: number;
};

export type ImageInfo = { format: string; virtualSize: number; actualSize: number | undefined };

/** `qemu-img info --output=json`: format, virtual size and bytes allocated on the host. */
export async function imageInfo(ctx: StageContext, path: string, format?: string, env?: Env): Promise<ImageInfo> {
  const qemuImg = preflight(["qemu-img"], { env })["qemu-img"];
  const args = ["info", "--output=json", ...(format ? ["-f", format] : []), path];
  const { stdout } = await run(ctx, qemuImg, args, { env });
  const info = JSON.parse(stdout) as { format?: unknown; "virtual-size"?: unknown; "actual-size"?: unknown };
  if (typeof info.format !== "string" || typeof info["virtual-size"] !== "number") {
    throw new Error(`qemu-img info gave no format or virtual size for ${path}`);
  }
  return {
    format: info.format,
    virtualSize: info["virtual-size"],
    actualSize: typeof info["actual-size"] === "number" ? info["actual-size"] : undefined,
  };
}

/** Reads `qemu-img convert -p` output: `    (12.34/100%)\r` repeated, possibly split across chunks. */
export function progressParser(onPercent: (percent: number) => void): (chunk: string) => void {
  let pending = "";
  return (chunk) => {
    const parts = (pending + chunk).split(/[\r\n]/);
    pending = parts.pop() ?? "";
    for (const part of parts) {
      const m = /\((\d+(?:\.\d+)?)\/100%\)/.exec(part);
      if (m) onPercent(Number(m[1]));
    }
  };
}


export async function copyDisks(ctx: StageContext, disks: readonly CopyRequest[], options: CopyOptions): Promise<CopyResult[]> {
  const qemuImg = preflight(["qemu-img"], { env: options.env })["qemu-img"];
  const infos: ImageInfo[] = [];
  for (const disk of disks) {
    const known = disk.sourceFormat !== undefined && disk.virtualSize !== undefined;
    infos.push(known ? { format: disk.sourceFormat as string, virtualSize: disk.virtualSize as number, actualSize: undefined } : await imageInfo(ctx, disk.source, disk.sourceFormat, options.env));
  }
  const total = infos.reduce((sum, info) => sum + info.virtualSize, 0);
  // What each new volume will occupy; all of them must fit before anything is written.
  const needs: number[] = [];
  for (const [i, disk] of disks.entries()) {
    const fresh = !(await pathExists(disk.target));
    const input = { source: disk.source, sourceFormat: (infos[i] as ImageInfo).format, format: disk.format ?? options.format, allocation: disk.allocation ?? options.allocation };
    needs.push(fresh ? await measureOutput(ctx, qemuImg, input, options.env) : 0);
  }
  await checkFreeSpace(disks.flatMap((d, i) => (needs[i]! > 0 ? [{ name: d.name, target: d.target, bytes: needs[i]! }] : [])));
  let before = 0;
  const results: CopyResult[] = [];
  const created: CopyRequest[] = [];

  for (const [i, disk] of disks.entries()) {
    const info = infos[i] as ImageInfo;
    const format = disk.format ?? options.format;
    const allocation = disk.allocation ?? options.allocation;
    const base = {
      name: disk.name,
      target: disk.target,
      sourceFormat: info.format,
      format,
      allocation,
      virtualSize: info.virtualSize,
    };
    if (await pathExists(disk.target)) {
      ctx.log(
        "warn",
        `Storage volume ${disk.name} already exists on the target. NOT copying it again. ` +
          "Delete the volume and retry to copy again.",
        COPY_STAGE,
      );
      before += info.virtualSize;
      ctx.progress({ stage: COPY_STAGE, done: before, total, unit: "bytes", item: disk.name });
      results.push({ ...base, reused: true, durationMs: 0 });
      continue;
    }

    ctx.log("info", `Transferring storage volume ${disk.name}: ${info.virtualSize} bytes`, COPY_STAGE);
    let done = 0;
    const report = (bytes: number) => {
      if (bytes <= done) return;
      done = bytes;
      ctx.progress({ stage: COPY_STAGE, done: before + done, total, unit: "bytes", item: disk.name });
    };
    const args = [
      "convert",
      "-p",
      "-f",
      info.format,
      "-O",
      format,
      ...(allocation === "preallocated" ? ["-o", "preallocation=full"] : []),
      disk.source,
      disk.target,
    ];
    const started = Date.now();
    try {
      await run(ctx, qemuImg, args, {
        env: options.env,
        onStdout: progressParser((percent) => report(Math.round((percent / 100) * info.virtualSize))),
      });
    } catch (error) {
      // Looked at before the partial file goes: did the filesystem fill up under the copy?
      const full = ctx.signal.aborted ? undefined : await spaceRanOut({ name: disk.name, target: disk.target, bytes: needs[i]! });
      // The target did not exist before: whatever is there now is this copy's partial output.
      await rm(disk.target, { force: true });
      ctx.log(
        ctx.signal.aborted ? "info" : "error",
        `${ctx.signal.aborted ? "Copy cancelled" : "Copy failed"}: removed the partial volume ${disk.name} (${disk.target})`,
        COPY_STAGE,
      );
      // Volumes this call finished before are half of an output nobody can use: removed too.
      for (const done of created) {
        await rm(done.target, { force: true });
        ctx.log("info", `Removed the volume ${done.name} (${done.target}) copied earlier in this conversion`, COPY_STAGE);
      }
      throw full ?? error;
    }
    created.push(disk);
    const durationMs = Date.now() - started;
    report(info.virtualSize);
    ctx.log("debug", `Copied ${disk.name} in ${(durationMs / 1000).toFixed(1)} s`, COPY_STAGE);
    before += info.virtualSize;
    results.push({ ...base, reused: false, durationMs });
  }
  return results;
}
