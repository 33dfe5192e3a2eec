// Opens a recorded file of a repository for download: a stream, its size and a name.
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { confinePath } from "./confine-path.ts";
import { errnoCode, repositoryDir } from "./storage.ts";

export type OpenedFile = { stream: Readable; size: number; name: string; sha256: string };

export async function openFile(client: Db, repositoryId: string, p: string): Promise<OpenedFile> {
  const repo = await client.repository.findUnique({ where: { id: repositoryId }, select: { id: true, name: true } });
  if (!repo) throw new AppError("NOT_FOUND", "That repository does not exist.");
  const missing = () => new AppError("NOT_FOUND", `${p} is not in repository ${repo.name}.`);
  let abs: string;
  try {
    abs = await confinePath(repositoryDir(repo.id), p);
  } catch (e) {
    if (errnoCode(e) === "ENOENT") throw missing(); // the repository directory itself is gone
    throw e;
  }
  const row = await client.repositoryFile.findUnique({ where: { repositoryId_path: { repositoryId: repo.id, path: p } } });
  if (!row) throw missing();
  let handle;
  try {
    handle = await open(abs, "r");
  } catch (e) {
    if (errnoCode(e) === "ENOENT") throw new AppError("NOT_FOUND", `${p} is recorded in repository ${repo.name} but missing on disk; upload it again.`);
    throw e;
  }
  // The size of what is actually opened, so Content-Length always matches the bytes sent.
  const st = await handle.stat();
  if (!st.isFile()) {
    await handle.close();
    throw missing();
  }
  return { stream: createReadStream("", { fd: handle }), size: st.size, name: path.posix.basename(p), sha256: row.sha256 };
}
