// Moves an element one place up or down its list. Within a rung the ladder takes the first
// element in document order, and network mappings apply first-match, so order is meaning.
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import type { AuditActor } from "../audit/record-audit.ts";
import { changeLayer, type ChangeLayerResult } from "./change-layer.ts";
import { KIND_NOUN, describeElement, listOf, withList, type ElementKind } from "./element-kinds.ts";
import { elementAt } from "./element-rules.ts";
import { ZElementIndex, ZElementTarget, type TElementTarget } from "./element-input.ts";
import { parseInput } from "./parse-input.ts";

const ZDirection = z.enum(["up", "down"], { error: "Direction must be up or down." });

export async function moveElement(
  client: Db,
  actor: AuditActor,
  input: TElementTarget & { kind: ElementKind; index: number; direction: "up" | "down" },
): Promise<ChangeLayerResult> {
  const target = parseInput(ZElementTarget, input);
  const index = parseInput(ZElementIndex, input.index);
  const direction = parseInput(ZDirection, input.direction);
  let summary = "";
  return changeLayer(client, actor, {
    layerId: target.layerId,
    baseRevision: target.baseRevision,
    summary: () => summary,
    change: (model) => {
      const element = elementAt(model, target.kind, index);
      const list = [...listOf(model, target.kind)];
      const to = direction === "up" ? index - 1 : index + 1;
      if (to < 0 || to >= list.length) {
        throw new AppError("INVALID_INPUT", `This ${KIND_NOUN[target.kind]} is already ${direction === "up" ? "first" : "last"}.`, { direction: ["Nothing to move past."] });
      }
      [list[index], list[to]] = [list[to]!, element];
      summary = `Moved ${describeElement(target.kind, element)} ${direction} (to #${to + 1})`;
      return withList(model, target.kind, list);
    },
  });
}
