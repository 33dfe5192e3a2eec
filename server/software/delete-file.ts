// Deletes a file from a repository, refused while an app points at it (the message names the
// apps). The file is moved aside inside the transaction and removed after the commit, so a
// failed delete leaves it in place.
import { randomUUID } from "node:crypto";
import { rename, rm, rmdir } from "node:fs/promises";
import path from "node:path";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { recordAudit, type AuditActor } from "../audit/record-audit.ts";
import { logger } from "../log.ts";
import { confinePath } from "./confine-path.ts";
import { inUseMessage, readLayerApps } from "./layer-apps.ts";
import { lockRepository } from "./lock-repository.ts";
import type { TRepositoryFileRef } from "./schemas.ts";
import { ensureRepositoryDir, errnoCode, RESERVED_PREFIX } from "./storage.ts";

const log = logger("software");

// Folders left empty by the delete go too, up to the repository directory.
async function pruneEmptyParents(root: string, file: string): Promise<void> {
  for (let dir = path.dirname(file); dir !== root && dir.startsWith(root + path.sep); dir = path.dirname(dir)) {
    try {
      await rmdir(dir);
    } catch {
      return;
    }
  }
}

export async function deleteFile(client: Db, actor: AuditActor, input: TRepositoryFileRef): Promise<{ path: string }> {
  const repo = await client.repository.findUnique({ where: { id: input.repositoryId }, select: { id: true } });
  if (!repo) throw new AppError("NOT_FOUND", "That repository does not exist.");
  const root = await ensureRepositoryDir(repo.id);
  const target = await confinePath(root, input.path);
  const trash = path.join(root, `${RESERVED_PREFIX}delete-${randomUUID()}`);
  let moved = false;
  try {
    await client.$transaction(
      async (tx) => {
        const locked = await lockRepository(tx, repo.id);
        const file = await tx.repositoryFile.findUnique({ where: { repositoryId_path: { repositoryId: repo.id, path: input.path } } });
        if (!file) throw new AppError("NOT_FOUND", `${input.path} is not in repository ${locked.name}.`);
        const users = (await readLayerApps(tx, { repositoryId: repo.id })).filter((a) => a.repositoryPath === file.path);
        if (users.length > 0) throw new AppError("CONFLICT", inUseMessage(file.path, users));
        await tx.repositoryFile.delete({ where: { id: file.id } });
        await recordAudit(tx, actor, {
          action: "repository.file.delete",
          targetType: "repository",
          targetId: repo.id,
          before: { path: file.path, size: Number(file.size), sha256: file.sha256, uploadedBy: file.uploadedByEmail },
        });
        try {
          await rename(target, trash);
          moved = true;
        } catch (e) {
          if (errnoCode(e) !== "ENOENT") throw e; // recorded but already gone from disk: drop the row
        }
      },
      { timeout: 30_000 },
    );
  } catch (e) {
    if (moved) await rename(trash, target).catch((err: unknown) => log.error("could not put back a file whose delete failed", { target, trash, error: String(err) }));
    throw e;
  }
  if (moved) {
    await rm(trash, { force: true }).catch((e: unknown) => log.warn("could not remove a deleted file", { trash, error: String(e) }));
    await pruneEmptyParents(root, target);
  }
  return { path: input.path };
}
