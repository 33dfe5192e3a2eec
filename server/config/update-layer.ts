// Renames a layer, changes its description or its software repository. The Vendor layer keeps
// its name and description; only its repository may be set.
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { recordAudit, type AuditActor } from "../audit/record-audit.ts";
import { assertNameFree } from "./create-layer.ts";
import { ZUpdateLayer, type TUpdateLayer } from "./layer-schemas.ts";
import { VENDOR_READ_ONLY, lockLayers, type LayerRow } from "./layer-store.ts";
import { parseInput } from "./parse-input.ts";

export async function updateLayer(client: Db, actor: AuditActor, raw: TUpdateLayer): Promise<LayerRow> {
  const input = parseInput(ZUpdateLayer, raw);
  return client.$transaction(async (tx) => {
    await lockLayers(tx);
    const layer = await tx.configLayer.findUnique({ where: { id: input.layerId } });
    if (!layer) throw new AppError("NOT_FOUND", "That layer does not exist (it may have been deleted).");
    if (layer.kind === "vendor" && ((input.name !== undefined && input.name !== layer.name) || (input.description !== undefined && input.description !== layer.description))) {
      throw new AppError("FORBIDDEN", VENDOR_READ_ONLY);
    }
    if (input.name !== undefined) await assertNameFree(tx, input.name, layer.id);
    if (input.repositoryId && !(await tx.repository.findUnique({ where: { id: input.repositoryId }, select: { id: true } }))) {
      throw new AppError("NOT_FOUND", "That software repository does not exist.", { repositoryId: ["That software repository does not exist."] });
    }
    const data = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.repositoryId !== undefined ? { repositoryId: input.repositoryId } : {}),
    };
    const updated = await tx.configLayer.update({ where: { id: layer.id }, data });
    const pick = (l: LayerRow) => ({ name: l.name, description: l.description, repositoryId: l.repositoryId });
    if (JSON.stringify(pick(layer)) !== JSON.stringify(pick(updated))) {
      await recordAudit(tx, actor, { action: "config.layer.update", targetType: "layer", targetId: layer.id, before: pick(layer), after: pick(updated) });
    }
    return updated;
  });
}
