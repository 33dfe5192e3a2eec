// A layer's history, newest first.
import type { Db } from "../db/client.ts";
import { findLayer } from "./layer-store.ts";

export type RevisionSummary = {
  number: number;
  authorId: string | null;
  authorEmail: string;
  createdAt: Date;
  summary: string;
  restoredFrom: number | null;
  isHead: boolean;
};

export async function listRevisions(client: Db, layerId: string, opts: { before?: number; take?: number } = {}): Promise<RevisionSummary[]> {
  const layer = await findLayer(client, layerId);
  const rows = await client.configRevision.findMany({
    where: { layerId, ...(opts.before !== undefined ? { number: { lt: opts.before } } : {}) },
    orderBy: { number: "desc" },
    take: Math.min(opts.take ?? 100, 500),
    select: { number: true, authorId: true, authorEmail: true, createdAt: true, summary: true, restoredFrom: true },
  });
  return rows.map((r) => ({ ...r, isHead: r.number === layer.headRevision }));
}
