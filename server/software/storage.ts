// Where repositories live on disk: FERRY_DATA_DIR/repositories/<repositoryId>/. server.ts sets
// FERRY_DATA_DIR to an absolute path at start; tests point it at their own directory.
import { mkdir } from "node:fs/promises";
import path from "node:path";

/** Prefix of the console's own files inside a repository directory; no uploaded path may use it. */
export const RESERVED_PREFIX = ".ferry-";

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function dataDir(): string {
  // Not a build-time path: keep the bundler from tracing the project through it.
  return path.resolve(/*turbopackIgnore: true*/ process.env.FERRY_DATA_DIR || "./.ferry");
}

export function repositoriesRoot(): string {
  return path.join(dataDir(), "repositories");
}

export function repositoryDir(repositoryId: string): string {
  // Ids come from the database, but a directory name is never built from anything else.
  if (!ID.test(repositoryId)) throw new Error(`not a repository id: ${JSON.stringify(repositoryId)}`);
  return path.join(repositoriesRoot(), repositoryId);
}

export async function ensureRepositoryDir(repositoryId: string): Promise<string> {
  const dir = repositoryDir(repositoryId);
  await mkdir(dir, { recursive: true, mode: 0o755 });
  return dir;
}

export function errnoCode(e: unknown): string | undefined {
  return typeof e === "object" && e !== null && "code" in e ? String((e as { code: unknown }).code) : undefined;
}
