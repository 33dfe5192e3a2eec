// What importing a virt-v2v.conf into a layer would do, written nowhere: added, changed and
// removed elements per kind, and the core's warnings about the file. The apply step sends
// `baseRevision` back, so an import previewed before someone else's edit is refused.
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import type { ConfigIssue } from "../v2v/index.ts";
import { diffModels, type ModelDiff } from "./diff-models.ts";
import { readImport } from "./import-text.ts";
import { VENDOR_READ_ONLY, findLayer, revisionModel } from "./layer-store.ts";

export type ImportPreview = {
  layerId: string;
  layerName: string;
  fileName: string;
  baseRevision: number;
  diff: ModelDiff;
  warnings: ConfigIssue[];
};

export async function previewImport(client: Db, layerId: string, text: string, fileName?: string): Promise<ImportPreview> {
  const layer = await findLayer(client, layerId);
  if (layer.kind === "vendor") throw new AppError("FORBIDDEN", VENDOR_READ_ONLY);
  const imported = readImport(text, fileName, layer.name);
  const current = await revisionModel(client, layer.id, layer.headRevision);
  return {
    layerId: layer.id,
    layerName: layer.name,
    fileName: imported.fileName,
    baseRevision: layer.headRevision,
    diff: diffModels(current, imported.model),
    warnings: imported.warnings,
  };
}
