// The common part of every element operation: which layer, and the revision the edit started from.
import { z } from "zod";
import { ELEMENT_KINDS } from "./element-kinds.ts";
import { ZLayerId, ZRevisionNumber } from "./layer-schemas.ts";

export const ZElementTarget = z.object({
  layerId: ZLayerId,
  baseRevision: ZRevisionNumber,
  kind: z.enum(ELEMENT_KINDS, { error: "Kind must be profile, network, capability or app." }),
});

export const ZElementIndex = z.coerce.number({ error: "Unknown element." }).int("Unknown element.").min(0, "Unknown element.");

export type TElementTarget = { layerId: string; baseRevision: number };
