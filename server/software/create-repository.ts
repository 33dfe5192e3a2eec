// Creates a software repository: its row, its audit record and its directory on disk.
import { randomUUID } from "node:crypto";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { recordAudit, type AuditActor } from "../audit/record-audit.ts";
import { isUniqueViolation } from "../users/create-user.ts";
import type { TNewRepository } from "./schemas.ts";
import { ensureRepositoryDir } from "./storage.ts";

export type RepositoryRecord = { id: string; name: string; description: string; createdAt: Date };

export async function createRepository(client: Db, actor: AuditActor, input: TNewRepository): Promise<RepositoryRecord> {
  try {
    return await client.$transaction(async (tx) => {
      const repo = await tx.repository.create({ data: { id: randomUUID(), name: input.name, description: input.description } });
      await recordAudit(tx, actor, { action: "repository.create", targetType: "repository", targetId: repo.id, after: { name: repo.name, description: repo.description } });
      // Inside the transaction: no repository row without its directory.
      await ensureRepositoryDir(repo.id);
      return repo;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("CONFLICT", `A repository named ${input.name} already exists.`, { name: ["This name is already in use."] });
    throw e;
  }
}
