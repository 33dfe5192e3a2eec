// How elements read in tables, previews and diffs: the same words everywhere. Absent attributes
// print as "any" where the ladder treats them as wildcards.
import type { LayerApp, LayerCapability, LayerNetwork, LayerProfile } from "@/server/config/layer-model";

export type ElementKindName = "profile" | "network" | "capability" | "app";

type Match = { os?: string | undefined; distro?: string | undefined; major?: string | undefined; minor?: string | undefined; arch?: string | undefined };

export function versionText(e: Match): string | undefined {
  if (e.major === undefined) return e.minor === undefined ? undefined : `?.${e.minor}`;
  return e.minor === undefined ? e.major : `${e.major}.${e.minor}`;
}

/** "linux rhel 5.3 x86_64" (only the attributes set). */
export function matchText(e: Match): string {
  const parts = [e.os, e.distro, versionText(e), e.arch].filter((p): p is string => p !== undefined && p !== "");
  return parts.length ? parts.join(" ") : "any guest";
}

export function sourceText(n: LayerNetwork): string {
  return n.type === "default" ? "default (any other)" : `${n.type ?? "?"} ${n.name ?? "?"}`;
}

export function targetText(n: LayerNetwork): string {
  return n.target ? `${n.target.type ?? "?"} ${n.target.name ?? "?"}` : "(no target)";
}

export function networkText(n: LayerNetwork): string {
  return `${sourceText(n)} → ${targetText(n)}`;
}

export function profileText(p: LayerProfile): string {
  const storage = p.storage ? [p.storage.location, p.storage.format, p.storage.allocation].filter(Boolean).join(", ") : "no storage";
  const nets = p.networks.length ? `; networks: ${p.networks.map(networkText).join("; ")}` : "";
  return `${p.method ?? "?"} → ${storage}${nets}`;
}

export function depText(d: LayerCapability["deps"][number]): string {
  return `${d.name}${d.minversion ? ` ≥ ${d.minversion}` : ""}${d.ifinstalled === "yes" ? " (if installed)" : ""}`;
}

export function capabilityText(c: LayerCapability): string {
  return `${c.name ?? "?"} for ${matchText(c)}${c.deps.length ? `: ${c.deps.map(depText).join(", ")}` : ": no deps"}`;
}

export function appText(a: LayerApp): string {
  return `${a.name ?? "?"} for ${matchText(a)} → ${a.path}${a.deps.length ? `; deps: ${a.deps.join(", ")}` : ""}`;
}

export function elementText(kind: ElementKindName, element: unknown): string {
  switch (kind) {
    case "profile":
      return profileText(element as LayerProfile);
    case "network":
      return networkText(element as LayerNetwork);
    case "capability":
      return capabilityText(element as LayerCapability);
    default:
      return appText(element as LayerApp);
  }
}

export const KIND_TITLES: Record<ElementKindName, { one: string; many: string; list: "profiles" | "networks" | "capabilities" | "apps" }> = {
  profile: { one: "profile", many: "Profiles", list: "profiles" },
  network: { one: "network mapping", many: "Networks", list: "networks" },
  capability: { one: "capability", many: "Capabilities", list: "capabilities" },
  app: { one: "app", many: "Apps", list: "apps" },
};
