// Sets the search order of the team layers. The caller sends every team layer once, in the new
// order; the Vendor layer always stays last.
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { recordAudit, type AuditActor } from "../audit/record-audit.ts";
import { ZReorderLayers, type TReorderLayers } from "./layer-schemas.ts";
import { VENDOR_READ_ONLY, lockLayers, writeOrder } from "./layer-store.ts";
import { parseInput } from "./parse-input.ts";

export async function reorderLayers(client: Db, actor: AuditActor, raw: TReorderLayers): Promise<{ changed: boolean }> {
  const { layerIds } = parseInput(ZReorderLayers, raw);
  return client.$transaction(async (tx) => {
    await lockLayers(tx);
    const layers = await tx.configLayer.findMany({ orderBy: { position: "asc" }, select: { id: true, name: true, kind: true } });
    const vendor = layers.find((l) => l.kind === "vendor");
    if (vendor && layerIds.includes(vendor.id)) throw new AppError("FORBIDDEN", `${VENDOR_READ_ONLY} It is always searched last.`);
    const team = layers.filter((l) => l.kind === "team");
    const known = new Set(team.map((l) => l.id));
    if (new Set(layerIds).size !== layerIds.length || layerIds.length !== team.length || !layerIds.every((id) => known.has(id))) {
      throw new AppError("CONFLICT", "The list of layers changed since you opened it (one was added or deleted). Reload and reorder again; nothing was changed.");
    }
    const before = team.map((l) => l.name);
    const byId = new Map(team.map((l) => [l.id, l.name]));
    const after = layerIds.map((id) => byId.get(id)!);
    if (before.join("\n") === after.join("\n")) return { changed: false };
    await writeOrder(tx, layerIds);
    await recordAudit(tx, actor, { action: "config.layer.reorder", targetType: "layer", targetId: null, before: { order: before }, after: { order: after } });
    return { changed: true };
  });
}
