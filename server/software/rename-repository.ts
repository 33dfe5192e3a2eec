// Renames a repository (and sets its description), audited with before and after. Its files and
// directory stay where they are: the directory is named by id.
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { recordAudit, type AuditActor } from "../audit/record-audit.ts";
import { isUniqueViolation } from "../users/create-user.ts";
import { lockRepository } from "./lock-repository.ts";
import type { TRenameRepository } from "./schemas.ts";

export async function renameRepository(client: Db, actor: AuditActor, input: TRenameRepository): Promise<{ changed: boolean }> {
  try {
    return await client.$transaction(async (tx) => {
      const before = await lockRepository(tx, input.repositoryId);
      if (before.name === input.name && before.description === input.description) return { changed: false };
      await tx.repository.update({ where: { id: before.id }, data: { name: input.name, description: input.description } });
      await recordAudit(tx, actor, {
        action: "repository.rename",
        targetType: "repository",
        targetId: before.id,
        before: { name: before.name, description: before.description },
        after: { name: input.name, description: input.description },
      });
      return { changed: true };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("CONFLICT", `A repository named ${input.name} already exists.`, { name: ["This name is already in use."] });
    throw e;
  }
}
