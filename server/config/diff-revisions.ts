// What changed between two revisions of a layer: element by element, and as a unified diff of
// the two virt-v2v.conf texts.
import type { Db } from "../db/client.ts";
import { serializeConfig } from "../v2v/index.ts";
import { diffModels, type ModelDiff } from "./diff-models.ts";
import { toConfigFile } from "./layer-model.ts";
import { ZRevisionNumber } from "./layer-schemas.ts";
import { findLayer, revisionModel } from "./layer-store.ts";
import { parseInput } from "./parse-input.ts";
import { unifiedDiff } from "./text-diff.ts";

export type RevisionDiff = { layerId: string; from: number; to: number; diff: ModelDiff; text: string };

/** `from` defaults to the revision before `to`; `to` to the head. */
export async function diffRevisions(client: Db, layerId: string, opts: { from?: number; to?: number } = {}): Promise<RevisionDiff> {
  const layer = await findLayer(client, layerId);
  const to = opts.to === undefined ? layer.headRevision : parseInput(ZRevisionNumber, opts.to);
  const from = opts.from === undefined ? Math.max(0, to - 1) : parseInput(ZRevisionNumber, opts.from);
  const [before, after] = await Promise.all([revisionModel(client, layerId, from), revisionModel(client, layerId, to)]);
  const text = unifiedDiff(serializeConfig(toConfigFile(before, layer.name)), serializeConfig(toConfigFile(after, layer.name)), {
    before: `${layer.name} revision ${from}`,
    after: `${layer.name} revision ${to}`,
  });
  return { layerId, from, to, diff: diffModels(before, after), text };
}
