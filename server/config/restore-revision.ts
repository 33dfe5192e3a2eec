// Puts an earlier revision's configuration back, as a new revision (history is never rewritten).
import type { Db } from "../db/client.ts";
import type { AuditActor } from "../audit/record-audit.ts";
import { changeLayer, type ChangeLayerResult } from "./change-layer.ts";
import { formatCounts } from "./diff-models.ts";
import { ZLayerId, ZRevisionNumber } from "./layer-schemas.ts";
import { revisionModel } from "./layer-store.ts";
import { parseInput } from "./parse-input.ts";

export async function restoreRevision(client: Db, actor: AuditActor, input: { layerId: string; baseRevision: number; number: number }): Promise<ChangeLayerResult> {
  const layerId = parseInput(ZLayerId, input.layerId);
  const baseRevision = parseInput(ZRevisionNumber, input.baseRevision);
  const number = parseInput(ZRevisionNumber.min(1, "Unknown revision."), input.number);
  const restored = await revisionModel(client, layerId, number);
  return changeLayer(client, actor, {
    layerId,
    baseRevision,
    summary: (diff) => `Restored revision ${number} (${formatCounts(diff.counts)})`,
    change: () => restored,
    restoredFrom: number,
    action: "config.revision.restore",
  });
}
