// The one way a layer's configuration changes: from a named base revision, through the core's
// validation, to revision base+1, with a conditional UPDATE so that of two saves from the same
// base exactly one wins and the other is refused with the conflict message. Audited in the
// same transaction.
import type { Db } from "../db/client.ts";
import { Prisma } from "../db/generated/client.ts";
import { AppError } from "../errors.ts";
import { recordAudit, type AuditActor } from "../audit/record-audit.ts";
import { diffModels, isEmptyDiff, type DiffCounts, type ModelDiff } from "./diff-models.ts";
import { modelJson, type LayerModel } from "./layer-model.ts";
import { VENDOR_READ_ONLY, conflictError, findLayer, revisionModel } from "./layer-store.ts";
import { validateModel } from "./validate-model.ts";

export type ChangeLayerInput = {
  layerId: string;
  baseRevision: number;
  /** One line for the history: "Added app kernel (linux rhel 5 x86_64)". */
  summary: string | ((diff: ModelDiff) => string);
  change: (model: LayerModel) => LayerModel;
  restoredFrom?: number;
  /** The audit action; config.layer.change unless said otherwise. */
  action?: string;
};

export type ChangeLayerResult = {
  layerId: string;
  /** The new head; the base when nothing changed. */
  revision: number;
  changed: boolean;
  summary: string;
  counts: DiffCounts;
  /** The core's warnings about the saved configuration (messages only: positions are of no text the user wrote). */
  warnings: string[];
  model: LayerModel;
};

const AUDITED_ELEMENTS = 20;

export async function changeLayer(client: Db, actor: AuditActor, input: ChangeLayerInput): Promise<ChangeLayerResult> {
  const { layerId, baseRevision } = input;
  const layer = await findLayer(client, layerId);
  if (layer.kind === "vendor") throw new AppError("FORBIDDEN", VENDOR_READ_ONLY);
  if (layer.headRevision !== baseRevision) throw await conflictError(client, layerId, baseRevision);

  // Revisions never change, so the new model can be computed and validated outside the
  // transaction; the conditional UPDATE below makes sure the base is still the head.
  const before = await revisionModel(client, layerId, baseRevision);
  const validated = validateModel(input.change(before), layer.name);
  const diff = diffModels(before, validated.model);
  const summary = oneLine(typeof input.summary === "function" ? input.summary(diff) : input.summary);
  const warnings = validated.warnings.map((w) => w.message);
  if (isEmptyDiff(diff)) return { layerId, revision: baseRevision, changed: false, summary, counts: diff.counts, warnings, model: before };

  const next = baseRevision + 1;
  try {
    await client.$transaction(
      async (tx) => {
        const updated = await tx.$executeRaw`
          UPDATE config_layers SET head_revision = ${next}, updated_at = now() WHERE id = ${layerId} AND head_revision = ${baseRevision}`;
        if (updated !== 1) throw await conflictError(tx, layerId, baseRevision);
        await tx.configRevision.create({
          data: {
            layerId,
            number: next,
            model: modelJson(validated.model),
            summary,
            authorId: actor.id,
            authorEmail: actor.email,
            restoredFrom: input.restoredFrom ?? null,
          },
        });
        await recordAudit(tx, actor, {
          action: input.action ?? "config.layer.change",
          targetType: "layer",
          targetId: layerId,
          before: { layer: layer.name, revision: baseRevision, ...auditedElements(diff, "before") },
          after: { layer: layer.name, revision: next, summary, counts: diff.counts, restoredFrom: input.restoredFrom, ...auditedElements(diff, "after") },
        });
      },
      { timeout: 60_000 },
    );
  } catch (e) {
    // A save that raced past the UPDATE's check cannot exist, but the unique (layer, number)
    // index is the last word: report it the same way.
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") throw await conflictError(client, layerId, baseRevision);
    throw e;
  }
  return { layerId, revision: next, changed: true, summary, counts: diff.counts, warnings, model: validated.model };
}

/** Small changes keep their elements in the audit record; big ones (imports) only counts. */
function auditedElements(diff: ModelDiff, side: "before" | "after"): Record<string, unknown> {
  const c = diff.counts;
  if (c.added + c.changed + c.removed > AUDITED_ELEMENTS) return {};
  const out: Record<string, unknown[]> = {};
  for (const list of ["profiles", "networks", "capabilities", "apps"] as const) {
    const d = diff[list];
    const items = side === "before" ? [...d.removed.map((r) => r.before), ...d.changed.map((r) => r.before)] : [...d.added.map((r) => r.after), ...d.changed.map((r) => r.after)];
    if (items.length) out[list] = items;
  }
  for (const s of diff.settings) out[s.field] = [s[side] ?? null];
  return out;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}
