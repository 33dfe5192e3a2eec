// One repository's files, each with whether it is on disk and which apps point at it, plus the
// files its layers' apps point at that are not there yet.
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { filePresence } from "./file-presence.ts";
import { describeApp, readLayerApps, type LayerApp } from "./layer-apps.ts";

export type AppUse = { layerId: string; layerName: string; name: string | null; label: string };

export type RepositoryFileEntry = {
  id: string;
  path: string;
  size: number;
  sha256: string;
  uploadedByEmail: string;
  uploadedAt: Date;
  /** Recorded and on disk; false when the file vanished from disk behind the console's back. */
  present: boolean;
  usedBy: AppUse[];
};

export type RepositoryFiles = {
  repository: { id: string; name: string; description: string };
  files: RepositoryFileEntry[];
  /** Paths apps of bound layers point at that this repository does not have. */
  missing: { path: string; usedBy: AppUse[] }[];
};

function use(a: LayerApp): AppUse {
  return { layerId: a.layerId, layerName: a.layerName, name: a.name ?? null, label: describeApp(a) };
}

export async function listFiles(client: Db, repositoryId: string): Promise<RepositoryFiles> {
  const repository = await client.repository.findUnique({ where: { id: repositoryId }, select: { id: true, name: true, description: true } });
  if (!repository) throw new AppError("NOT_FOUND", "That repository does not exist.");
  const [rows, apps] = await Promise.all([
    client.repositoryFile.findMany({ where: { repositoryId }, orderBy: { path: "asc" } }),
    readLayerApps(client, { repositoryId }),
  ]);
  const presence = await filePresence(client, repositoryId, rows.map((r) => r.path));
  const usesOf = new Map<string, AppUse[]>();
  for (const a of apps) if (a.repositoryPath !== null) (usesOf.get(a.repositoryPath) ?? usesOf.set(a.repositoryPath, []).get(a.repositoryPath)!).push(use(a));
  const files = rows.map((r) => ({
    id: r.id,
    path: r.path,
    size: Number(r.size),
    sha256: r.sha256,
    uploadedByEmail: r.uploadedByEmail,
    uploadedAt: r.uploadedAt,
    present: presence.get(r.path) ?? false,
    usedBy: usesOf.get(r.path) ?? [],
  }));
  const recorded = new Set(rows.map((r) => r.path));
  const missing = [...usesOf.entries()].filter(([p]) => !recorded.has(p)).map(([p, usedBy]) => ({ path: p, usedBy })).sort((a, b) => a.path.localeCompare(b.path));
  return { repository, files, missing };
}
