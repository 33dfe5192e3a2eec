// Deletes a team layer with its revisions. The audit record keeps the head model, so a deleted
// layer can still be recreated from the audit log.
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { recordAudit, type AuditActor } from "../audit/record-audit.ts";
import { VENDOR_READ_ONLY, lockLayers, revisionModel, teamOrder, writeOrder } from "./layer-store.ts";

export async function deleteLayer(client: Db, actor: AuditActor, input: { layerId: string }): Promise<void> {
  await client.$transaction(async (tx) => {
    await lockLayers(tx);
    const layer = await tx.configLayer.findUnique({ where: { id: input.layerId } });
    if (!layer) throw new AppError("NOT_FOUND", "That layer does not exist (it may have been deleted).");
    if (layer.kind === "vendor") throw new AppError("FORBIDDEN", VENDOR_READ_ONLY);
    const model = await revisionModel(tx, layer.id, layer.headRevision);
    await tx.configLayer.delete({ where: { id: layer.id } });
    await writeOrder(tx, await teamOrder(tx));
    await recordAudit(tx, actor, {
      action: "config.layer.delete",
      targetType: "layer",
      targetId: layer.id,
      before: { name: layer.name, description: layer.description, repositoryId: layer.repositoryId, position: layer.position, revision: layer.headRevision, model },
    });
  });
}
