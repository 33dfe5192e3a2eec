// Reads and small writes shared by the layer operations: a layer with its head model, the
// conflict message, the structural lock and the search order.
import type { Db, Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { emptyModel, readStoredModel, type LayerModel } from "./layer-model.ts";

export const VENDOR_NAME = "Vendor";
export const VENDOR_READ_ONLY =
  "The Vendor layer ships with Ferry and is read-only: put your change in a team layer, which is searched before it.";

// Creating, reordering and deleting layers take this lock so positions never collide.
const LAYERS_LOCK = 4_718_010;

export type LayerRow = {
  id: string;
  name: string;
  kind: string;
  position: number;
  description: string;
  repositoryId: string | null;
  headRevision: number;
  createdAt: Date;
  updatedAt: Date;
};

export async function lockLayers(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LAYERS_LOCK})`;
}

export async function findLayer(client: Db | Tx, layerId: string): Promise<LayerRow> {
  const layer = await client.configLayer.findUnique({ where: { id: layerId } });
  if (!layer) throw new AppError("NOT_FOUND", "That layer does not exist (it may have been deleted).");
  return layer;
}

export async function revisionModel(client: Db | Tx, layerId: string, number: number): Promise<LayerModel> {
  if (number === 0) return emptyModel();
  const revision = await client.configRevision.findUnique({ where: { layerId_number: { layerId, number } }, select: { model: true } });
  if (!revision) throw new AppError("NOT_FOUND", `This layer has no revision ${number}.`);
  return readStoredModel(revision.model);
}

/** The refusal an edit gets when someone saved since it started. */
export async function conflictError(client: Db | Tx, layerId: string, base: number): Promise<AppError> {
  const layer = await client.configLayer.findUnique({ where: { id: layerId }, select: { headRevision: true } });
  if (!layer) return new AppError("NOT_FOUND", "That layer does not exist (it may have been deleted).");
  const head = await client.configRevision.findUnique({ where: { layerId_number: { layerId, number: layer.headRevision } }, select: { authorEmail: true } });
  return new AppError(
    "CONFLICT",
    `This layer changed since you opened it (you edited revision ${base}; it is now at revision ${layer.headRevision} by ${head?.authorEmail ?? "someone else"}). ` +
      "Reload to see their change; your edit was not saved.",
  );
}

/** Positions 1..n in the given order of team layers, the Vendor layer last. */
export async function writeOrder(tx: Tx, teamIds: readonly string[]): Promise<void> {
  const vendor = await tx.configLayer.findFirst({ where: { kind: "vendor" }, select: { id: true } });
  const ids = vendor ? [...teamIds, vendor.id] : [...teamIds];
  // The unique position constraint is deferred to commit, so swaps in between are fine.
  for (const [i, id] of ids.entries()) {
    await tx.$executeRaw`UPDATE config_layers SET position = ${i + 1} WHERE id = ${id} AND position <> ${i + 1}`;
  }
}

export async function teamOrder(tx: Tx): Promise<string[]> {
  const rows = await tx.configLayer.findMany({ where: { kind: "team" }, orderBy: { position: "asc" }, select: { id: true } });
  return rows.map((r) => r.id);
}
