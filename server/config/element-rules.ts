// Checks an element against the rest of its layer: one that could never be used there (a
// second profile of the same name, a second mapping of the same source, an app or capability
// with the same match key as an earlier one) is refused with the field to change.
import { AppError } from "../errors.ts";
import { KIND_NOUN, identityKey, listOf, type ElementKind, type ElementOf } from "./element-kinds.ts";
import type { LayerModel } from "./layer-model.ts";

const FIELD: Record<ElementKind, string> = { profile: "name", network: "sourceName", capability: "name", app: "name" };

/** Throws INVALID_INPUT when `element` at `index` duplicates another element of the layer. */
export function assertUsable<K extends ElementKind>(model: LayerModel, kind: K, element: ElementOf[K], index: number): void {
  const key = identityKey(kind, element);
  const clash = listOf(model, kind).findIndex((other, i) => i !== index && identityKey(kind, other) === key);
  if (clash === -1) return;
  const message = duplicateMessage(kind, element, clash);
  const field = kind === "network" && (element as ElementOf["network"]).type === "default" ? "sourceType" : FIELD[kind];
  throw new AppError("INVALID_INPUT", message, { [field]: [message] });
}

function duplicateMessage<K extends ElementKind>(kind: K, element: ElementOf[K], clash: number): string {
  const at = `${KIND_NOUN[kind]} #${clash + 1}`;
  switch (kind) {
    case "profile":
      return `This layer already has a profile named ${(element as ElementOf["profile"]).name} (${at}).`;
    case "network": {
      const n = element as ElementOf["network"];
      return n.type === "default" ? `This layer already has a default mapping (${at}); only the first one is used.` : `This layer already maps ${n.type} ${n.name} (${at}); only the first mapping is used.`;
    }
    default:
      return `This layer already has ${kind === "app" ? "an app" : "a capability"} with the same name, os, distro, major, minor and arch (${at}); the first one would always win.`;
  }
}

export function elementAt<K extends ElementKind>(model: LayerModel, kind: K, index: number): ElementOf[K] {
  const element = Number.isInteger(index) && index >= 0 ? listOf(model, kind)[index] : undefined;
  if (element === undefined) throw new AppError("NOT_FOUND", `There is no ${KIND_NOUN[kind]} #${index + 1} in this layer.`);
  return element;
}
