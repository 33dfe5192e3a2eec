// Repositories with their file counts, total sizes and the layers bound to them.
import type { Db } from "../db/client.ts";

export type RepositorySummary = {
  id: string;
  name: string;
  description: string;
  createdAt: Date;
  fileCount: number;
  totalSize: number;
  layers: { id: string; name: string }[];
};

export async function listRepositories(client: Db): Promise<RepositorySummary[]> {
  const [repos, totals] = await Promise.all([
    client.repository.findMany({
      orderBy: { name: "asc" },
      select: { id: true, name: true, description: true, createdAt: true, layers: { select: { id: true, name: true }, orderBy: { position: "asc" } } },
    }),
    client.repositoryFile.groupBy({ by: ["repositoryId"], _count: { _all: true }, _sum: { size: true } }),
  ]);
  const byId = new Map(totals.map((t) => [t.repositoryId, t]));
  return repos.map((r) => {
    const t = byId.get(r.id);
    return { ...r, fileCount: t?._count._all ?? 0, totalSize: Number(t?._sum.size ?? 0n) };
  });
}
