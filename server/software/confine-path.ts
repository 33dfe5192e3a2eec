// Path confinement: the one check every upload, download and delete goes through. A repository
// path is a plain relative POSIX path, and its real location (after resolving the symbolic
// links of whatever part of it exists) stays inside the repository directory.
import { lstat, realpath } from "node:fs/promises";
import path from "node:path";
import { AppError } from "../errors.ts";
import { errnoCode, RESERVED_PREFIX } from "./storage.ts";

export const MAX_PATH_BYTES = 1024;
export const MAX_SEGMENT_BYTES = 255;

// Shown quoted with control characters escaped, and cut short so a 2000-byte path stays readable.
function shown(value: string): string {
  // JSON.stringify escapes C0 controls only; DEL and C1 (U+0080-U+009F, e.g. CSI) too.
  const quoted = JSON.stringify(value).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return quoted.length > 90 ? `${quoted.slice(0, 80)}…"` : quoted;
}

function refuse(p: string, why: string): never {
  const message = `The path ${shown(p)} ${why}`;
  throw new AppError("INVALID_INPUT", message, { path: [message] });
}

/** Checks a path's syntax and returns it unchanged; throws INVALID_INPUT naming what is wrong. */
export function checkRepositoryPath(p: string): string {
  if (p.length === 0) {
    const message = "The path is empty: give a path inside the repository, such as rhel/5/kernel.rpm.";
    throw new AppError("INVALID_INPUT", message, { path: [message] });
  }
  if (p.includes("\0")) refuse(p, "contains a NUL character.");
  const control = /[\u0000-\u001f\u007f-\u009f]/.exec(p);
  if (control) refuse(p, `contains a control character (U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}).`);
  const bytes = Buffer.byteLength(p, "utf8");
  if (bytes > MAX_PATH_BYTES) refuse(p, `is too long: ${bytes} bytes, at most ${MAX_PATH_BYTES}.`);
  if (p.includes("\\")) refuse(p, "contains a backslash: separate folders with /.");
  if (p.startsWith("/")) refuse(p, "is absolute: give a path relative to the repository, without the leading /.");
  const segments = p.split("/");
  for (const segment of segments) {
    if (segment === "") refuse(p, "has an empty segment (a doubled or trailing /).");
    if (segment === "..") refuse(p, 'has a ".." segment: paths stay inside the repository.');
    if (segment === ".") refuse(p, 'has a "." segment: write the path without it.');
    const n = Buffer.byteLength(segment, "utf8");
    if (n > MAX_SEGMENT_BYTES) refuse(p, `has a segment of ${n} bytes (${shown(segment)}); at most ${MAX_SEGMENT_BYTES}.`);
  }
  if (segments[0]!.startsWith(RESERVED_PREFIX)) refuse(p, `starts with ${RESERVED_PREFIX}, which the console keeps for its own temporary files.`);
  return p;
}

function inside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root + path.sep);
}

/**
 * The absolute location of `p` inside the repository directory `root` (which must exist).
 * Refuses bad syntax, and any path whose deepest existing part resolves, through symbolic
 * links, outside `root`. The file itself need not exist (uploads create it).
 */
export async function confinePath(root: string, p: string): Promise<string> {
  checkRepositoryPath(p);
  const realRoot = await realpath(root);
  const target = path.join(realRoot, ...p.split("/"));
  let probe = target;
  for (;;) {
    try {
      await lstat(probe);
      break;
    } catch (e) {
      const code = errnoCode(e);
      if (code !== "ENOENT" && code !== "ENOTDIR") throw e;
      probe = path.dirname(probe);
    }
  }
  let real: string;
  try {
    real = await realpath(probe);
  } catch (e) {
    const code = errnoCode(e);
    if (code === "ENOENT" || code === "ELOOP") refuse(p, "goes through a symbolic link that leads nowhere.");
    throw e;
  }
  if (!inside(realRoot, real)) refuse(p, "leads outside the repository through a symbolic link.");
  return target;
}
