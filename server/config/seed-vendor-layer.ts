// The read-only "Vendor" layer: virt-v2v's own database as Ferry ships it, searched last.
// Called at every console start; a start with an unchanged vendor file writes nothing, and a
// newer Ferry with a changed file adds one revision by the system actor.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Db } from "../db/client.ts";
import { parseConfig } from "../v2v/index.ts";
import { recordAudit, SYSTEM_ACTOR } from "../audit/record-audit.ts";
import { version as ferryVersion } from "../version.ts";
import { diffModels, formatCounts, isEmptyDiff } from "./diff-models.ts";
import { modelJson, toLayerModel } from "./layer-model.ts";
import { validateModel } from "./validate-model.ts";
import { VENDOR_NAME, lockLayers, revisionModel, teamOrder, writeOrder } from "./layer-store.ts";

export const VENDOR_DB_URL = new URL("../v2v/vendor/virt-v2v.db.xml", import.meta.url);

export type SeedResult = { layerId: string; revision: number; created: boolean; updated: boolean };

/** `text` and `version` default to the shipped file and this Ferry's version (tests pass others). */
export async function seedVendorLayer(client: Db, opts: { text?: string; version?: string } = {}): Promise<SeedResult> {
  const text = opts.text ?? readFileSync(VENDOR_DB_URL, "utf8");
  const version = opts.version ?? ferryVersion;
  // Stored as the core reads it back from its own export, like every other revision.
  const model = validateModel(toLayerModel(parseConfig(text, VENDOR_NAME)), VENDOR_NAME).model;

  return client.$transaction(
    async (tx) => {
      await lockLayers(tx);
      const existing = await tx.configLayer.findFirst({ where: { kind: "vendor" } });
      if (!existing) {
        const id = randomUUID();
        const max = await tx.configLayer.aggregate({ _max: { position: true } });
        await tx.configLayer.create({ data: { id, name: VENDOR_NAME, kind: "vendor", position: (max._max.position ?? 0) + 1, headRevision: 1, description: "virt-v2v's own database, shipped with Ferry. Read-only; searched last." } });
        const summary = `Vendor configuration of Ferry ${version}`;
        await tx.configRevision.create({ data: { layerId: id, number: 1, model: modelJson(model), summary, authorId: null, authorEmail: SYSTEM_ACTOR.email } });
        await recordAudit(tx, SYSTEM_ACTOR, { action: "config.layer.create", targetType: "layer", targetId: id, after: { name: VENDOR_NAME, kind: "vendor", revision: 1, summary } });
        return { layerId: id, revision: 1, created: true, updated: false };
      }
      // Keep the Vendor layer last even if something placed a team layer after it.
      await writeOrder(tx, await teamOrder(tx));
      const current = await revisionModel(tx, existing.id, existing.headRevision);
      const diff = diffModels(current, model);
      if (isEmptyDiff(diff)) return { layerId: existing.id, revision: existing.headRevision, created: false, updated: false };
      const next = existing.headRevision + 1;
      const summary = `Vendor configuration of Ferry ${version}: ${formatCounts(diff.counts)}`;
      await tx.configLayer.update({ where: { id: existing.id }, data: { headRevision: next } });
      await tx.configRevision.create({ data: { layerId: existing.id, number: next, model: modelJson(model), summary, authorId: null, authorEmail: SYSTEM_ACTOR.email } });
      await recordAudit(tx, SYSTEM_ACTOR, {
        action: "config.layer.change",
        targetType: "layer",
        targetId: existing.id,
        before: { layer: VENDOR_NAME, revision: existing.headRevision },
        after: { layer: VENDOR_NAME, revision: next, summary, counts: diff.counts },
      });
      return { layerId: existing.id, revision: next, created: false, updated: true };
    },
    { timeout: 60_000 },
  );
}
