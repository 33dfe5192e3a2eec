// The four kinds of element a layer holds, with how people name one (labels in summaries and
// messages) and how an import recognises "the same" element (identity keys): profiles by
// name, network mappings by source (type, name), capabilities and apps by their match key.
import type { LayerApp, LayerCapability, LayerModel, LayerNetwork, LayerProfile } from "./layer-model.ts";

export const ELEMENT_KINDS = ["profile", "network", "capability", "app"] as const;
export type ElementKind = (typeof ELEMENT_KINDS)[number];

export type ElementOf = { profile: LayerProfile; network: LayerNetwork; capability: LayerCapability; app: LayerApp };
export type ListKey = "profiles" | "networks" | "capabilities" | "apps";

export const LIST_OF: Record<ElementKind, ListKey> = { profile: "profiles", network: "networks", capability: "capabilities", app: "apps" };

export const KIND_NOUN: Record<ElementKind, string> = { profile: "profile", network: "network mapping", capability: "capability", app: "app" };

export function listOf<K extends ElementKind>(model: LayerModel, kind: K): ElementOf[K][] {
  return model[LIST_OF[kind]] as ElementOf[K][];
}

/** A copy of the model with one list replaced. */
export function withList<K extends ElementKind>(model: LayerModel, kind: K, list: ElementOf[K][]): LayerModel {
  return { ...model, [LIST_OF[kind]]: list };
}

type MatchKeyed = { name: string | undefined; os: string | undefined; distro: string | undefined; major: string | undefined; minor: string | undefined; arch: string | undefined };

function matchKey(e: MatchKeyed): string {
  // null for absent: an absent distro and an empty one are different keys.
  return JSON.stringify([e.name ?? null, e.os ?? null, e.distro ?? null, e.major ?? null, e.minor ?? null, e.arch ?? null]);
}

export function identityKey<K extends ElementKind>(kind: K, element: ElementOf[K]): string {
  switch (kind) {
    case "profile":
      return JSON.stringify([(element as LayerProfile).name ?? null]);
    case "network": {
      const n = element as LayerNetwork;
      return JSON.stringify([n.type ?? null, n.type === "default" ? null : (n.name ?? null)]);
    }
    default:
      return matchKey(element as MatchKeyed);
  }
}

/** "kernel (linux rhel 5.3 i686)": the name and the attributes it is matched with. */
export function matchLabel(e: MatchKeyed): string {
  const version = e.major === undefined ? e.minor : e.minor === undefined ? e.major : `${e.major}.${e.minor}`;
  const parts = [e.os, e.distro, version, e.arch].filter((p): p is string => p !== undefined && p !== "");
  return `${e.name ?? "(unnamed)"}${parts.length ? ` (${parts.join(" ")})` : ""}`;
}

export function networkLabel(n: { type: string | undefined; name: string | undefined }): string {
  if (n.type === "default") return "default";
  return `${n.type ?? "(no type)"} ${n.name ?? "(no name)"}`;
}

export function elementLabel<K extends ElementKind>(kind: K, element: ElementOf[K]): string {
  switch (kind) {
    case "profile":
      return (element as LayerProfile).name ?? "(unnamed)";
    case "network":
      return networkLabel(element as LayerNetwork);
    default:
      return matchLabel(element as MatchKeyed);
  }
}

/** "app kernel (linux rhel 5 x86_64)" */
export function describeElement<K extends ElementKind>(kind: K, element: ElementOf[K]): string {
  return `${KIND_NOUN[kind]} ${elementLabel(kind, element)}`;
}
