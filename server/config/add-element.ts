// Adds a profile, network mapping, capability or app at the end of its list (the last place
// the ladder looks at within its rung; move it up to give it precedence).
import type { Db } from "../db/client.ts";
import type { AuditActor } from "../audit/record-audit.ts";
import { changeLayer, type ChangeLayerResult } from "./change-layer.ts";
import { describeElement, listOf, withList, type ElementKind, type ElementOf } from "./element-kinds.ts";
import { assertUsable } from "./element-rules.ts";
import { ELEMENT_SCHEMAS, type ElementInput } from "./element-schemas.ts";
import type { TElementTarget } from "./element-input.ts";
import { ZElementTarget } from "./element-input.ts";
import { parseInput } from "./parse-input.ts";

export async function addElement<K extends ElementKind>(client: Db, actor: AuditActor, input: TElementTarget & { kind: K; element: ElementInput[K] }): Promise<ChangeLayerResult> {
  const target = parseInput(ZElementTarget, input);
  const element = parseInput(ELEMENT_SCHEMAS[target.kind], input.element) as ElementOf[K];
  const kind = target.kind as K;
  return changeLayer(client, actor, {
    layerId: target.layerId,
    baseRevision: target.baseRevision,
    summary: `Added ${describeElement(kind, element)}`,
    change: (model) => {
      const list = listOf(model, kind);
      assertUsable(model, kind, element, list.length);
      return withList(model, kind, [...list, element]);
    },
  });
}
