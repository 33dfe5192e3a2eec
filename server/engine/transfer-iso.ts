// Builds the transfer ISO (reference §1.6): every readable <app>/<path> of the configuration,
// at the path written in the config, volume id __virt-v2v_transfer__. Nothing readable, no ISO.
//
// An agent keeps the ISOs it built (cacheDir) and reuses one while the files in it are the same
// ones (path, size, mtime, inode): every conversion that inspects needs the ISO attached to its
// appliance, and a repository of gigabytes would otherwise be written again for each.
import { createHash, randomBytes } from "node:crypto";
import { accessSync, constants } from "node:fs";
import { copyFile, link, mkdir, readdir, rename, rm, stat, utimes } from "node:fs/promises";
import path from "node:path";
import type { ConfigFile, TransferIsoEntry } from "../v2v/index.ts";
import { TRANSFER_ISO_LABEL, graftPoints, transferIsoContents } from "../v2v/index.ts";
import type { StageContext } from "./context.ts";
import { ToolFailedError } from "./errors.ts";
import { pathExists } from "./paths.ts";
import { checkRoomFor, spaceRanOut } from "./space.ts";
import { preflight, run, type Env } from "./tools.ts";

export const TRANSFER_ISO_STAGE = "transfer-iso";

export type TransferIsoRequest = {
  files: readonly ConfigFile[];
  /** The ISO to write. */
  output: string;
  /** Replaces every file's path-root for relative app paths (a software repository). */
  softwareRoot?: string | undefined;
  /**
   * Where built ISOs are kept and reused while their files are unchanged (an agent's
   * `<scratch>/transfer-isos`; the agent empties its scratch directory when it starts). The
   * conversion still gets its own `output`, a hard link to the kept ISO.
   */
  cacheDir?: string | undefined;
  env?: Env;
};

/** ISOs kept in a cacheDir, the most recently used first. */
export const TRANSFER_ISO_CACHE_KEEP = 3;

export type TransferIso = { path: string; entries: TransferIsoEntry[] };

/** Volume descriptors, directory records, Rock Ridge and Joliet trees: generous for a few hundred files. */
const ISO_OVERHEAD = 2 * 1024 * 1024;

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** Failure to build it keeps virt-v2v's message (`Failed to create transfer iso. ...`). */
export class TransferIsoError extends Error {
  readonly code = "TRANSFER_ISO";
  constructor(output: string) {
    super(`Failed to create transfer iso. Command output was:\n${output}`);
    this.name = "TransferIsoError";
  }
}

/** Returns the ISO, or undefined when no configured file is readable (virt-v2v builds none). */
export async function buildTransferIso(ctx: StageContext, request: TransferIsoRequest): Promise<TransferIso | undefined> {
  const contents = transferIsoContents(request.files, readable, { softwareRoot: request.softwareRoot });
  for (const c of contents.conflicts) {
    ctx.log("warn", `${c.isoPath} is configured from both ${c.kept} and ${c.dropped}; the transfer ISO holds ${c.kept}`, TRANSFER_ISO_STAGE);
  }
  for (const s of contents.skipped) ctx.log("debug", `not in the transfer ISO (not readable): ${s.hostPath}`, TRANSFER_ISO_STAGE);
  if (contents.entries.length === 0) {
    ctx.log("info", "No readable software in the configuration: no transfer ISO", TRANSFER_ISO_STAGE);
    return undefined;
  }
  const xorriso = preflight(["xorriso"], { env: request.env }).xorriso;
  const { cacheDir } = request;
  const kept = cacheDir ? path.join(cacheDir, `transfer-${await cacheKey(contents.entries)}.iso`) : undefined;
  if (kept && (await pathExists(kept))) {
    await utimes(kept, new Date(), new Date());
    await linkOrCopy(kept, request.output);
    ctx.log("info", `Using the transfer ISO built earlier from the same ${files(contents.entries.length)}`, TRANSFER_ISO_STAGE);
    return { path: request.output, entries: contents.entries };
  }
  if (cacheDir) await mkdir(cacheDir, { recursive: true });
  // Kept ISOs are written beside their final name and renamed, so a concurrent conversion never
  // finds one half written.
  const target = kept ? `${kept}.${randomBytes(4).toString("hex")}.part` : request.output;
  // -f follows symlinks (as virt-v2v's mkisofs call could): a link in a software repository
  // must arrive in the ISO as the file, not as a link to a host path.
  const args = ["-as", "mkisofs", "-R", "-J", "-f", "-V", TRANSFER_ISO_LABEL, "-graft-points", "-o", target, ...graftPoints(contents)];
  ctx.log("info", `Building the transfer ISO (${files(contents.entries.length)})`, TRANSFER_ISO_STAGE);
  // The files' sizes (links followed, as -f does) plus room for the ISO's own structures.
  let needed = ISO_OVERHEAD;
  for (const e of contents.entries) needed += (await stat(e.hostPath)).size;
  await checkRoomFor("the transfer ISO", target, needed);
  try {
    await run(ctx, xorriso, args, { env: request.env });
  } catch (error) {
    const full = ctx.signal.aborted ? undefined : await spaceRanOut({ name: "the transfer ISO", target, bytes: needed }, "writing the transfer ISO");
    await rm(target, { force: true });
    if (full) throw full;
    if (error instanceof ToolFailedError) throw new TransferIsoError(error.stderrTail);
    throw error;
  }
  if (kept && cacheDir) {
    await rename(target, kept);
    await linkOrCopy(kept, request.output);
    await prune(cacheDir, kept);
  }
  return { path: request.output, entries: contents.entries };
}

/** Names the ISO's contents: each file's place in the ISO and the host file it is now (size, mtime, inode; links followed). */
async function cacheKey(entries: readonly TransferIsoEntry[]): Promise<string> {
  const hash = createHash("sha256").update(`${TRANSFER_ISO_LABEL}\0`);
  for (const e of [...entries].sort((a, b) => a.isoPath.localeCompare(b.isoPath))) {
    const st = await stat(e.hostPath);
    hash.update(`${e.isoPath}\0${e.hostPath}\0${st.size}\0${st.mtimeMs}\0${st.ino}\0`);
  }
  return hash.digest("hex").slice(0, 32);
}

const files = (n: number) => `${n} file${n === 1 ? "" : "s"}`;

/**
 * The conversion's own name for a kept ISO: a hard link (so pruning the cache cannot take it
 * from an appliance about to open it), or a copy where the two are on different filesystems.
 */
async function linkOrCopy(from: string, to: string): Promise<void> {
  await rm(to, { force: true });
  await link(from, to).catch(async (e: NodeJS.ErrnoException) => {
    if (e.code !== "EXDEV") throw e;
    await copyFile(from, to);
  });
}

/** Keeps the TRANSFER_ISO_CACHE_KEEP most recently used ISOs (`current` always). */
async function prune(cacheDir: string, current: string): Promise<void> {
  const isos: { file: string; used: number }[] = [];
  for (const name of await readdir(cacheDir)) {
    if (!/^transfer-[0-9a-f]+\.iso$/.test(name)) continue;
    const file = path.join(cacheDir, name);
    const st = await stat(file).catch(() => undefined);
    if (st) isos.push({ file, used: file === current ? Infinity : st.mtimeMs });
  }
  isos.sort((a, b) => b.used - a.used);
  for (const { file } of isos.slice(TRANSFER_ISO_CACHE_KEEP)) await rm(file, { force: true });
}
