// The apps of configuration layers, read from each layer's head revision. A layer bound to a
// repository resolves its relative app paths inside it; this is how the software code knows
// which files are in use without depending on server/config.
import path from "node:path";
import type { Db, Tx } from "../db/client.ts";

export type AppAttrs = { name?: string; os?: string; distro?: string; major?: string; minor?: string; arch?: string };

export type LayerApp = AppAttrs & {
  layerId: string;
  layerName: string;
  repositoryId: string | null;
  /** The path as written in the layer. */
  path: string;
  /** The repository path it resolves to, or null when absolute (it lives on the agent host) or escaping. */
  repositoryPath: string | null;
};

const ATTRS = ["os", "distro", "major", "minor", "arch"] as const;

/** A relative app path as a repository path: "./rhel//5/x.rpm" -> "rhel/5/x.rpm". */
export function normalizeAppPath(p: string): string | null {
  const trimmed = p.trim();
  if (trimmed === "" || path.posix.isAbsolute(trimmed)) return null;
  const normal = path.posix.normalize(trimmed).replace(/\/+$/, "");
  if (normal === "." || normal === ".." || normal.startsWith("../")) return null;
  return normal;
}

function text(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

// The model is the other half of the console's JSON; read it defensively, app by app, so one odd
// entry never hides the others (hiding an app would let its file be deleted).
function appsOf(model: unknown): (AppAttrs & { path: string })[] {
  const apps = (model as { apps?: unknown } | null)?.apps;
  if (!Array.isArray(apps)) return [];
  const out: (AppAttrs & { path: string })[] = [];
  for (const a of apps as unknown[]) {
    if (typeof a !== "object" || a === null) continue;
    const r = a as Record<string, unknown>;
    const p = text(r.path);
    if (p === undefined) continue;
    out.push({ name: text(r.name), os: text(r.os), distro: text(r.distro), major: text(r.major), minor: text(r.minor), arch: text(r.arch), path: p });
  }
  return out;
}

/** Apps of the given layers (all layers bound to a repository, or one layer), head revisions only. */
export async function readLayerApps(client: Db | Tx, where: { repositoryId: string } | { layerId: string }): Promise<LayerApp[]> {
  const layers = await client.configLayer.findMany({
    where: "layerId" in where ? { id: where.layerId } : { repositoryId: where.repositoryId },
    select: { id: true, name: true, repositoryId: true, headRevision: true },
    orderBy: { position: "asc" },
  });
  if (layers.length === 0) return [];
  const revisions = await client.configRevision.findMany({
    where: { OR: layers.map((l) => ({ layerId: l.id, number: l.headRevision })) },
    select: { layerId: true, model: true },
  });
  const models = new Map(revisions.map((r) => [r.layerId, r.model]));
  return layers.flatMap((l) =>
    appsOf(models.get(l.id)).map((a) => ({ ...a, layerId: l.id, layerName: l.name, repositoryId: l.repositoryId, repositoryPath: normalizeAppPath(a.path) })),
  );
}

/** "app kernel (os=linux distro=rhel major=5 arch=x86_64) in layer Site" */
export function describeApp(app: LayerApp): string {
  const attrs = ATTRS.filter((k) => app[k] !== undefined).map((k) => `${k}=${app[k]}`);
  return `app ${app.name ?? "(unnamed)"}${attrs.length ? ` (${attrs.join(" ")})` : ""} in layer ${app.layerName}`;
}

export function joinAnd(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** The message a refused delete shows: which apps point at which file. */
export function inUseMessage(p: string, apps: LayerApp[]): string {
  return `${p} is used by ${joinAnd(apps.map(describeApp))}; change or remove ${apps.length === 1 ? "that app" : "those apps"} first.`;
}
