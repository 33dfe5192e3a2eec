// The relative app paths of a layer that are not present in its repository: what a layer's page
// shows at a glance. A layer bound to no repository has all of them missing.
import path from "node:path";
import type { Db, Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { filePresence } from "./file-presence.ts";
import { readLayerApps } from "./layer-apps.ts";

/** Paths as written in the layer, in document order, each once. */
export async function layerMissingFiles(client: Db | Tx, layerId: string): Promise<string[]> {
  const layer = await client.configLayer.findUnique({ where: { id: layerId }, select: { repositoryId: true } });
  if (!layer) throw new AppError("NOT_FOUND", "That configuration layer does not exist.");
  const relative = [...new Set((await readLayerApps(client, { layerId })).filter((a) => !path.posix.isAbsolute(a.path.trim())).map((a) => a.path))];
  if (!layer.repositoryId) return relative;
  const presence = await filePresence(client, layer.repositoryId, relative);
  return relative.filter((p) => !presence.get(p));
}
