// Replaces a layer's configuration with an imported virt-v2v.conf: one new revision, one
// transaction, refused like any edit when the layer moved past the previewed revision.
import type { Db } from "../db/client.ts";
import type { AuditActor } from "../audit/record-audit.ts";
import type { ConfigIssue } from "../v2v/index.ts";
import { changeLayer, type ChangeLayerResult } from "./change-layer.ts";
import { formatCounts } from "./diff-models.ts";
import { readImport } from "./import-text.ts";
import { ZLayerId, ZRevisionNumber } from "./layer-schemas.ts";
import { findLayer } from "./layer-store.ts";
import { parseInput } from "./parse-input.ts";

export type ApplyImportResult = ChangeLayerResult & { fileName: string; importWarnings: ConfigIssue[] };

export async function applyImport(
  client: Db,
  actor: AuditActor,
  input: { layerId: string; baseRevision: number; text: string; fileName?: string },
): Promise<ApplyImportResult> {
  const layerId = parseInput(ZLayerId, input.layerId);
  const baseRevision = parseInput(ZRevisionNumber, input.baseRevision);
  const layer = await findLayer(client, layerId);
  const imported = readImport(input.text, input.fileName, layer.name);
  const result = await changeLayer(client, actor, {
    layerId,
    baseRevision,
    summary: (diff) => `Imported ${imported.fileName}: ${formatCounts(diff.counts)}`,
    change: () => imported.model,
    action: "config.layer.import",
  });
  return { ...result, fileName: imported.fileName, importWarnings: imported.warnings };
}
