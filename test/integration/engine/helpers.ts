// Images and scratch directories for the engine tests, made with the real tools.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { procStat } from "../../../server/proc-stat.ts";

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

export function scratch(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `ferry-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A sparse raw image of `size` bytes with `pattern` bytes written at each [offset, length]. */
export function rawImage(path: string, size: number, writes: [offset: number, length: number][], pattern = 0x5a): void {
  execFileSync("qemu-img", ["create", "-q", "-f", "raw", path, String(size)]);
  for (const [offset, length] of writes) {
    // qemu-io requests stay well below its 2 GiB request limit.
    for (let at = offset; at < offset + length; at += 256 * MiB) {
      const n = Math.min(256 * MiB, offset + length - at);
      execFileSync("qemu-io", ["-f", "raw", "-c", `write -P ${pattern} ${at} ${n}`, path], { stdio: "ignore" });
    }
  }
}

export type QemuImgInfo = { format: string; "virtual-size": number; "actual-size": number };

export function qemuImgInfo(path: string): QemuImgInfo {
  return JSON.parse(execFileSync("qemu-img", ["info", "--output=json", path], { encoding: "utf8" })) as QemuImgInfo;
}

/** `qemu-img compare`: 0 identical contents, 1 different (throws on errors). */
export function qemuImgCompare(a: string, b: string): number {
  try {
    execFileSync("qemu-img", ["compare", a, b], { stdio: "ignore" });
    return 0;
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 1) return 1;
    throw error;
  }
}

/** Live (non-zombie) processes whose command line contains `needle`. */
export function processesMentioning(needle: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ");
      const state = procStat(entry)?.state;
      if (cmdline.includes(needle) && state !== undefined && state !== "Z") found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

export function processGroup(pid: number): number | undefined {
  return procStat(pid)?.pgrp;
}

/** Live (non-zombie) processes in a process group. */
export function processesInGroup(pgrp: number): number[] {
  return readdirSync("/proc")
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      const stat = procStat(e);
      return stat !== undefined && stat.state !== "Z" && stat.pgrp === pgrp;
    })
    .map(Number);
}
