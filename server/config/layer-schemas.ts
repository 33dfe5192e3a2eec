// What layer operations accept at the boundary (form field names are the keys).
import { z } from "zod";

export const ZLayerName = z
  .string({ error: "Name is required." })
  .trim()
  .min(1, { error: "Name is required.", abort: true })
  .max(60, { error: "Name is too long (at most 60 characters).", abort: true })
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, "Name may contain letters, digits, spaces, '.', '_' and '-', and starts with a letter or digit.")
  .refine((name) => name.toLowerCase() !== "vendor", "Vendor is the name of the layer Ferry ships; choose another name.");

export const ZLayerDescription = z.string().trim().max(500, "Description is too long (at most 500 characters).");

/** A repository id; "" (a form's "none") means none. */
export const ZRepositoryRef = z
  .string()
  .trim()
  .max(100)
  .nullable()
  .optional()
  .transform((v) => (v === "" ? null : v));

export const ZLayerId = z.string({ error: "Unknown layer." }).trim().min(1, "Unknown layer.").max(100, "Unknown layer.");

export const ZRevisionNumber = z.coerce.number({ error: "Unknown revision." }).int("Unknown revision.").min(0, "Unknown revision.");

export const ZCreateLayer = z.object({ name: ZLayerName, description: ZLayerDescription.default(""), repositoryId: ZRepositoryRef });
export type TCreateLayer = z.input<typeof ZCreateLayer>;

/** Fields left out stay as they are. */
export const ZUpdateLayer = z.object({
  layerId: ZLayerId,
  name: ZLayerName.optional(),
  description: ZLayerDescription.optional(),
  repositoryId: ZRepositoryRef,
});
export type TUpdateLayer = z.input<typeof ZUpdateLayer>;

export const ZReorderLayers = z.object({ layerIds: z.array(ZLayerId).max(1000) });
export type TReorderLayers = z.input<typeof ZReorderLayers>;
