// Replaces the element at `index` (an index into the base revision's list) with the form's values.
import type { Db } from "../db/client.ts";
import type { AuditActor } from "../audit/record-audit.ts";
import { changeLayer, type ChangeLayerResult } from "./change-layer.ts";
import { describeElement, elementLabel, listOf, withList, type ElementKind, type ElementOf } from "./element-kinds.ts";
import { assertUsable, elementAt } from "./element-rules.ts";
import { ELEMENT_SCHEMAS, type ElementInput } from "./element-schemas.ts";
import { ZElementIndex, ZElementTarget, type TElementTarget } from "./element-input.ts";
import { parseInput } from "./parse-input.ts";

export async function updateElement<K extends ElementKind>(
  client: Db,
  actor: AuditActor,
  input: TElementTarget & { kind: K; index: number; element: ElementInput[K] },
): Promise<ChangeLayerResult> {
  const target = parseInput(ZElementTarget, input);
  const index = parseInput(ZElementIndex, input.index);
  const element = parseInput(ELEMENT_SCHEMAS[target.kind], input.element) as ElementOf[K];
  const kind = target.kind as K;
  let was = "";
  return changeLayer(client, actor, {
    layerId: target.layerId,
    baseRevision: target.baseRevision,
    summary: () => {
      const now = describeElement(kind, element);
      return was === elementLabel(kind, element) ? `Changed ${now}` : `Changed ${now} (was ${was})`;
    },
    change: (model) => {
      was = elementLabel(kind, elementAt(model, kind, index));
      assertUsable(model, kind, element, index);
      const list = [...listOf(model, kind)];
      list[index] = element;
      return withList(model, kind, list);
    },
  });
}
