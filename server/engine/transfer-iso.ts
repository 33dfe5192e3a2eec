// Builds the transfer ISO (reference §1.6): every readable <app>/<path> of the configuration,
// at the path written in the config, volume id __virt-v2v_transfer__. Nothing readable, no ISO.
import { accessSync, constants } from "node:fs";
import { rm, stat } from "node:fs/promises";
import type { ConfigFile, TransferIsoEntry } from "../v2v/index.ts";
import { TRANSFER_ISO_LABEL, graftPoints, transferIsoContents } from "../v2v/index.ts";
import type { StageContext } from "./context.ts";
import { ToolFailedError } from "./errors.ts";
import { checkRoomFor, spaceRanOut } from "./space.ts";
import { preflight, run, type Env } from "./tools.ts";

export const TRANSFER_ISO_STAGE = "transfer-iso";

export type TransferIsoRequest = {
  files: readonly ConfigFile[];
  /** The ISO to write. */
  output: string;
  /** Replaces every file's path-root for relative app paths (a software repository). */
  softwareRoot?: string | undefined;
  env?: Env;
};

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
  // -f follows symlinks (as virt-v2v's mkisofs call could): a link in a software repository
  // must arrive in the ISO as the file, not as a link to a host path.
  const args = ["-as", "mkisofs", "-R", "-J", "-f", "-V", TRANSFER_ISO_LABEL, "-graft-points", "-o", request.output, ...graftPoints(contents)];
  ctx.log("info", `Building the transfer ISO (${contents.entries.length} files)`, TRANSFER_ISO_STAGE);
  // The files' sizes (links followed, as -f does) plus room for the ISO's own structures.
  let needed = ISO_OVERHEAD;
  for (const e of contents.entries) needed += (await stat(e.hostPath)).size;
  await checkRoomFor("the transfer ISO", request.output, needed);
  try {
    await run(ctx, xorriso, args, { env: request.env });
  } catch (error) {
    const full = ctx.signal.aborted ? undefined : await spaceRanOut({ name: "the transfer ISO", target: request.output, bytes: needed }, "writing the transfer ISO");
    await rm(request.output, { force: true });
    if (full) throw full;
    if (error instanceof ToolFailedError) throw new TransferIsoError(error.stderrTail);
    throw error;
  }
  return { path: request.output, entries: contents.entries };
}
