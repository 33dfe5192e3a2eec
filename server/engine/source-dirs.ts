// The agents' allow-list of source directories: an agent reads a guest's local disk only when
// the disk's real path (symlinks resolved) is under a directory its operator configured, so a
// domain XML uploaded to the console cannot make an agent read /etc/shadow or another guest's
// disk. Remote sources (ssh, https, nbd URIs) are not local paths and are not checked here.
import { realpath } from "node:fs/promises";
import path from "node:path";

/** A local source disk outside every directory the agent may read. */
export class SourceNotAllowedError extends Error {
  readonly code = "SOURCE_NOT_ALLOWED";
  readonly path: string;
  constructor(disk: string, resolved: string, dirs: readonly string[], hint: string) {
    const where = resolved === disk ? disk : `${disk} (which is ${resolved})`;
    const allowed = dirs.length === 0 ? "this agent has no source directories configured" : `this agent reads source disks only under ${dirs.join(", ")}`;
    super(`Source disk ${where} is not in a directory this agent may read: ${allowed}. ${hint}`);
    this.name = "SourceNotAllowedError";
    this.path = disk;
  }
}

/** How an operator allows a directory, for the error message (the embedded agent and `ferry agent` differ). */
export const DEFAULT_HINT = "Allow its directory with FERRY_SOURCE_DIRS (the console's agent, colon-separated) or `ferry agent --source-dir DIR`.";

/** A URI (nbd+unix://, ssh://, https://) rather than a path on this host. */
export function isLocalPath(source: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(source);
}

/** FERRY_SOURCE_DIRS: colon-separated absolute directories; empty entries ignored. */
export function sourceDirsFromEnv(value: string | undefined): string[] {
  return (value ?? "").split(":").map((d) => d.trim()).filter((d) => d !== "").map((d) => path.resolve(d));
}

/** The real path, or for a path that does not exist (yet), its nearest existing ancestor's real path plus the rest. */
async function resolveReal(p: string): Promise<string> {
  const absolute = path.resolve(p);
  try {
    return await realpath(absolute);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT" && (error as NodeJS.ErrnoException).code !== "ENOTDIR") throw error;
    const parent = path.dirname(absolute);
    if (parent === absolute) return absolute;
    return path.join(await resolveReal(parent), path.basename(absolute));
  }
}

function isUnder(child: string, dir: string): boolean {
  const rel = path.relative(dir, child);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/**
 * Throws SourceNotAllowedError for the first local path that is not under one of `dirs`
 * (both sides resolved with realpath). `dirs` undefined means unrestricted (`ferry convert`,
 * the operator's own command on their own host).
 */
export async function assertSourcesAllowed(sources: readonly string[], dirs: readonly string[] | undefined, hint = DEFAULT_HINT): Promise<void> {
  if (dirs === undefined) return;
  const roots = await Promise.all(dirs.map((d) => resolveReal(d)));
  for (const source of sources) {
    if (!isLocalPath(source)) continue;
    const real = await resolveReal(source);
    if (!roots.some((root) => isUnder(real, root))) throw new SourceNotAllowedError(source, real, dirs, hint);
  }
}
