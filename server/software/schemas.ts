// What the software repository operations accept at the boundary.
import { z } from "zod";

const noControl = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);

export const ZRepositoryName = z
  .string()
  .trim()
  .min(1, "Name is required.")
  .max(100, "Name is too long (at most 100 characters).")
  .refine(noControl, "Name must not contain control characters.");
export const ZRepositoryDescription = z
  .string()
  .trim()
  .max(500, "Description is too long (at most 500 characters).")
  .refine(noControl, "Description must not contain control characters.");
export const ZRepositoryId = z.string().uuid("Unknown repository.");

export const ZNewRepository = z.object({ name: ZRepositoryName, description: ZRepositoryDescription.default("") });
export type TNewRepository = z.infer<typeof ZNewRepository>;

export const ZRenameRepository = z.object({ repositoryId: ZRepositoryId, name: ZRepositoryName, description: ZRepositoryDescription.default("") });
export type TRenameRepository = z.infer<typeof ZRenameRepository>;

export const ZRepositoryRef = z.object({ repositoryId: ZRepositoryId });
export type TRepositoryRef = z.infer<typeof ZRepositoryRef>;

/** A file in a repository; the path's own rules are checked by confinePath, with its messages. */
export const ZRepositoryFileRef = z.object({ repositoryId: ZRepositoryId, path: z.string({ message: "Path is required." }) });
export type TRepositoryFileRef = z.infer<typeof ZRepositoryFileRef>;
