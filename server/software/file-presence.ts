// Whether files are present in a repository: recorded in the database AND a regular file on disk
// at their confined location.
import { stat } from "node:fs/promises";
import type { Db, Tx } from "../db/client.ts";
import { confinePath } from "./confine-path.ts";
import { normalizeAppPath } from "./layer-apps.ts";
import { repositoryDir } from "./storage.ts";

async function onDisk(root: string, p: string): Promise<boolean> {
  try {
    return (await stat(await confinePath(root, p))).isFile();
  } catch {
    return false;
  }
}

/** path (as given; "./a//b" finds "a/b") -> present. Absolute or escaping paths are never present. */
export async function filePresence(client: Db | Tx, repositoryId: string, paths: readonly string[]): Promise<Map<string, boolean>> {
  const normal = new Map(paths.map((p) => [p, normalizeAppPath(p)] as const));
  const wanted = [...new Set([...normal.values()].filter((p): p is string => p !== null))];
  const rows = wanted.length ? await client.repositoryFile.findMany({ where: { repositoryId, path: { in: wanted } }, select: { path: true } }) : [];
  const root = repositoryDir(repositoryId);
  const present = new Map<string, boolean>();
  await Promise.all(rows.map(async (r) => present.set(r.path, await onDisk(root, r.path))));
  return new Map(paths.map((p) => [p, present.get(normal.get(p) ?? "") ?? false]));
}
