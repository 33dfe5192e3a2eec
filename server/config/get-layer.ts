// One layer with its head revision's configuration: what an edit form starts from (it sends
// `revision` back as its base).
import type { Db } from "../db/client.ts";
import type { ConfigFile } from "../v2v/index.ts";
import { toConfigFile, type LayerModel } from "./layer-model.ts";
import { findLayer, revisionModel } from "./layer-store.ts";

export type LayerView = {
  id: string;
  name: string;
  kind: "vendor" | "team";
  description: string;
  position: number;
  repositoryId: string | null;
  /** The head revision number: send it back as baseRevision with every edit. */
  revision: number;
  readOnly: boolean;
  model: LayerModel;
  /** The same configuration as the core takes it (file = the layer's name). */
  config: ConfigFile;
};

export async function getLayer(client: Db, layerId: string): Promise<LayerView> {
  const layer = await findLayer(client, layerId);
  const model = await revisionModel(client, layer.id, layer.headRevision);
  return {
    id: layer.id,
    name: layer.name,
    kind: layer.kind === "vendor" ? "vendor" : "team",
    description: layer.description,
    position: layer.position,
    repositoryId: layer.repositoryId,
    revision: layer.headRevision,
    readOnly: layer.kind === "vendor",
    model,
    config: toConfigFile(model, layer.name),
  };
}

export async function findLayerByName(client: Db, name: string): Promise<{ id: string; name: string; kind: string; headRevision: number } | null> {
  return client.configLayer.findFirst({ where: { name: { equals: name, mode: "insensitive" } }, select: { id: true, name: true, kind: true, headRevision: true } });
}
