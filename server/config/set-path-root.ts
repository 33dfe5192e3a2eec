// Sets (or clears) the layer's <path-root>: where its apps' relative paths resolve.
import type { Db } from "../db/client.ts";
import type { AuditActor } from "../audit/record-audit.ts";
import { changeLayer, type ChangeLayerResult } from "./change-layer.ts";
import { ZPathRoot } from "./element-schemas.ts";
import { ZLayerId, ZRevisionNumber } from "./layer-schemas.ts";
import { parseInput } from "./parse-input.ts";

export async function setPathRoot(client: Db, actor: AuditActor, input: { layerId: string; baseRevision: number; pathRoot: string | undefined }): Promise<ChangeLayerResult> {
  const layerId = parseInput(ZLayerId, input.layerId);
  const baseRevision = parseInput(ZRevisionNumber, input.baseRevision);
  const { pathRoot } = parseInput(ZPathRoot, { pathRoot: input.pathRoot });
  return changeLayer(client, actor, {
    layerId,
    baseRevision,
    summary: pathRoot === undefined ? "Cleared path-root" : `Set path-root to ${pathRoot}`,
    change: (model) => ({ ...model, pathRoot }),
  });
}
