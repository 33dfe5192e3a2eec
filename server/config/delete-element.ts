// Deletes the element at `index` of its list.
import type { Db } from "../db/client.ts";
import type { AuditActor } from "../audit/record-audit.ts";
import { changeLayer, type ChangeLayerResult } from "./change-layer.ts";
import { describeElement, listOf, withList, type ElementKind } from "./element-kinds.ts";
import { elementAt } from "./element-rules.ts";
import { ZElementIndex, ZElementTarget, type TElementTarget } from "./element-input.ts";
import { parseInput } from "./parse-input.ts";

export async function deleteElement(client: Db, actor: AuditActor, input: TElementTarget & { kind: ElementKind; index: number }): Promise<ChangeLayerResult> {
  const target = parseInput(ZElementTarget, input);
  const index = parseInput(ZElementIndex, input.index);
  let summary = "";
  return changeLayer(client, actor, {
    layerId: target.layerId,
    baseRevision: target.baseRevision,
    summary: () => summary,
    change: (model) => {
      summary = `Deleted ${describeElement(target.kind, elementAt(model, target.kind, index))}`;
      return withList(model, target.kind, listOf(model, target.kind).filter((_, i) => i !== index));
    },
  });
}
