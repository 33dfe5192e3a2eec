// A layer as a virt-v2v.conf file that virt-v2v itself accepts (with the layer's path-root),
// headed by a comment saying which layer and revision it came from.
import type { Db } from "../db/client.ts";
import { serializeConfig } from "../v2v/index.ts";
import { toConfigFile, type LayerModel } from "./layer-model.ts";
import { findLayer, revisionModel } from "./layer-store.ts";

export async function exportLayer(client: Db, layerId: string, revision?: number): Promise<string> {
  const layer = await findLayer(client, layerId);
  const number = revision ?? layer.headRevision;
  return exportText(layer.name, number, await revisionModel(client, layer.id, number));
}

export function exportText(layerName: string, revision: number, model: LayerModel, note?: string): string {
  const text = serializeConfig(toConfigFile(model, layerName));
  // "--" cannot appear inside an XML comment.
  const safe = (s: string) => s.replace(/-{2,}/g, "-");
  const comment = `<!-- Ferry configuration layer "${safe(layerName)}", revision ${revision}${note ? `; ${safe(note)}` : ""}. -->\n`;
  const decl = text.indexOf("?>\n");
  return decl === -1 ? comment + text : text.slice(0, decl + 3) + comment + text.slice(decl + 3);
}

/** "site.conf" for the layer "Site"; "lab-east.conf" for "Lab East". */
export function layerFileName(name: string): string {
  const slug = name.toLowerCase().replace(/[^\p{L}\p{N}._-]+/gu, "-").replace(/^[-.]+|-+$/g, "");
  return `${slug || "layer"}.conf`;
}
