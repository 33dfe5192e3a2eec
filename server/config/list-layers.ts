// The layers in search order with what the configuration page shows at a glance.
import type { Db } from "../db/client.ts";

export type LayerSummary = {
  id: string;
  name: string;
  kind: "vendor" | "team";
  description: string;
  position: number;
  repositoryId: string | null;
  headRevision: number;
  updatedAt: Date;
  /** Who made the head revision, and when. */
  lastChangedBy: string;
  lastChangedAt: Date;
  counts: { profiles: number; networks: number; capabilities: number; apps: number };
};

type Row = {
  id: string; name: string; kind: string; description: string; position: number; repository_id: string | null; head_revision: number; updated_at: Date;
  author_email: string | null; created_at: Date | null; profiles: number; networks: number; capabilities: number; apps: number;
};

export async function listLayers(client: Db): Promise<LayerSummary[]> {
  // Counted in SQL: a layer may hold thousands of elements.
  const rows = await client.$queryRaw<Row[]>`
    SELECT l.id, l.name, l.kind, l.description, l.position, l.repository_id, l.head_revision, l.updated_at,
           r.author_email, r.created_at,
           coalesce(jsonb_array_length(r.model->'profiles'), 0)::int AS profiles,
           coalesce(jsonb_array_length(r.model->'networks'), 0)::int AS networks,
           coalesce(jsonb_array_length(r.model->'capabilities'), 0)::int AS capabilities,
           coalesce(jsonb_array_length(r.model->'apps'), 0)::int AS apps
    FROM config_layers l
    LEFT JOIN config_revisions r ON r.layer_id = l.id AND r.number = l.head_revision
    ORDER BY l.position`;
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind === "vendor" ? "vendor" : "team",
    description: r.description,
    position: r.position,
    repositoryId: r.repository_id,
    headRevision: r.head_revision,
    updatedAt: r.updated_at,
    lastChangedBy: r.author_email ?? "",
    lastChangedAt: r.created_at ?? r.updated_at,
    counts: { profiles: r.profiles, networks: r.networks, capabilities: r.capabilities, apps: r.apps },
  }));
}
