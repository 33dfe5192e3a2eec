// Serialises every change to one repository (uploads, deletes, the repository's own delete) on
// its row, so the rows and the files on disk move together.
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";

export type LockedRepository = { id: string; name: string; description: string };

export async function lockRepository(tx: Tx, repositoryId: string): Promise<LockedRepository> {
  const rows = await tx.$queryRaw<LockedRepository[]>`SELECT id, name, description FROM repositories WHERE id = ${repositoryId} FOR UPDATE`;
  const repo = rows[0];
  if (!repo) throw new AppError("NOT_FOUND", "That repository does not exist (it may have just been deleted).");
  return repo;
}
