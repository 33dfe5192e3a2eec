// Creates a team layer, searched just before the Vendor layer (after every other team layer),
// with an empty revision 1 so every layer has a head to edit from.
import { randomUUID } from "node:crypto";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { recordAudit, type AuditActor } from "../audit/record-audit.ts";
import { emptyModel, modelJson } from "./layer-model.ts";
import { ZCreateLayer, type TCreateLayer } from "./layer-schemas.ts";
import { lockLayers, teamOrder, writeOrder, type LayerRow } from "./layer-store.ts";
import { parseInput } from "./parse-input.ts";

export async function createLayer(client: Db, actor: AuditActor, raw: TCreateLayer): Promise<LayerRow> {
  const input = parseInput(ZCreateLayer, raw);
  return client.$transaction(async (tx) => {
    await lockLayers(tx);
    await assertNameFree(tx, input.name);
    if (input.repositoryId && !(await tx.repository.findUnique({ where: { id: input.repositoryId }, select: { id: true } }))) {
      throw new AppError("NOT_FOUND", "That software repository does not exist.", { repositoryId: ["That software repository does not exist."] });
    }
    const id = randomUUID();
    const order = await teamOrder(tx);
    const max = await tx.configLayer.aggregate({ _max: { position: true } });
    // A free position first, then the whole order rewritten with this layer last of the team.
    await tx.configLayer.create({
      data: { id, name: input.name, kind: "team", description: input.description, repositoryId: input.repositoryId ?? null, position: (max._max.position ?? 0) + 1, headRevision: 1 },
    });
    await writeOrder(tx, [...order, id]);
    await tx.configRevision.create({ data: { layerId: id, number: 1, model: modelJson(emptyModel()), summary: "Created the layer", authorId: actor.id, authorEmail: actor.email } });
    const layer = await tx.configLayer.findUniqueOrThrow({ where: { id } });
    await recordAudit(tx, actor, {
      action: "config.layer.create",
      targetType: "layer",
      targetId: id,
      after: { name: layer.name, kind: layer.kind, description: layer.description, repositoryId: layer.repositoryId, position: layer.position },
    });
    return layer;
  });
}

/** Layer names are unique regardless of case: "Site" and "site" in one list would confuse. */
export async function assertNameFree(tx: Pick<Db, "configLayer">, name: string, exceptId?: string): Promise<void> {
  const clash = await tx.configLayer.findFirst({ where: { name: { equals: name, mode: "insensitive" }, ...(exceptId ? { NOT: { id: exceptId } } : {}) }, select: { name: true } });
  if (clash) throw new AppError("CONFLICT", `A layer named ${clash.name} already exists.`, { name: [`A layer named ${clash.name} already exists.`] });
}
