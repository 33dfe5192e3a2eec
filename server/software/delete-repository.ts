// Deletes a repository with its files, refused while any of its files is one an app points at.
// The directory is moved aside inside the transaction and removed after the commit, so a failed
// delete leaves everything as it was.
import { randomUUID } from "node:crypto";
import { rename, rm } from "node:fs/promises";
import path from "node:path";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { recordAudit, type AuditActor } from "../audit/record-audit.ts";
import { logger } from "../log.ts";
import { describeApp, joinAnd, readLayerApps } from "./layer-apps.ts";
import { lockRepository } from "./lock-repository.ts";
import type { TRepositoryRef } from "./schemas.ts";
import { errnoCode, repositoriesRoot, repositoryDir, RESERVED_PREFIX } from "./storage.ts";

const log = logger("software");

export async function deleteRepository(client: Db, actor: AuditActor, input: TRepositoryRef): Promise<{ name: string; files: number }> {
  const dir = repositoryDir(input.repositoryId);
  const trash = path.join(repositoriesRoot(), `${RESERVED_PREFIX}deleted-${randomUUID()}`);
  let moved = false;
  try {
    const result = await client.$transaction(
      async (tx) => {
        const repo = await lockRepository(tx, input.repositoryId);
        const files = await tx.repositoryFile.findMany({ where: { repositoryId: repo.id }, select: { path: true, size: true } });
        const recorded = new Set(files.map((f) => f.path));
        const users = (await readLayerApps(tx, { repositoryId: repo.id })).filter((a) => a.repositoryPath !== null && recorded.has(a.repositoryPath));
        if (users.length > 0) {
          const uses = users.map((a) => `${a.repositoryPath} (${describeApp(a)})`);
          throw new AppError("CONFLICT", `Repository ${repo.name} still holds files apps point at: ${joinAnd(uses)}. Change or remove those apps first.`);
        }
        await tx.repository.delete({ where: { id: repo.id } });
        const totalSize = files.reduce((n, f) => n + Number(f.size), 0);
        await recordAudit(tx, actor, {
          action: "repository.delete",
          targetType: "repository",
          targetId: repo.id,
          before: { name: repo.name, description: repo.description, files: files.length, totalSize },
        });
        try {
          await rename(dir, trash);
          moved = true;
        } catch (e) {
          if (errnoCode(e) !== "ENOENT") throw e;
        }
        return { name: repo.name, files: files.length };
      },
      { timeout: 30_000 },
    );
    if (moved) await rm(trash, { recursive: true, force: true }).catch((e: unknown) => log.warn("could not remove a deleted repository's files", { dir: trash, error: String(e) }));
    return result;
  } catch (e) {
    if (moved) await rename(trash, dir).catch((err: unknown) => log.error("could not put back a repository directory", { dir, trash, error: String(err) }));
    throw e;
  }
}
