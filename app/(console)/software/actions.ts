"use server";
// Admins create, rename and delete repositories and delete files (uploads go through the
// route handler, which streams). Each action checks the caller's session and role itself.
import { revalidatePath } from "next/cache";
import { db } from "@/server/db/client";
import { formAction } from "@/server/http/form-action";
import { createRepository } from "@/server/software/create-repository";
import { deleteFile } from "@/server/software/delete-file";
import { deleteRepository } from "@/server/software/delete-repository";
import { renameRepository } from "@/server/software/rename-repository";
import { ZNewRepository, ZRenameRepository, ZRepositoryFileRef, ZRepositoryRef } from "@/server/software/schemas";

const who = (actor: { id: string; email: string; ip: string | null }) => ({ id: actor.id, email: actor.email, ip: actor.ip });

export const createRepositoryAction = formAction({
  permission: "software:write",
  schema: ZNewRepository.strict(),
  run: async (actor, input) => {
    const repo = await createRepository(db(), who(actor), input);
    revalidatePath("/software");
    return { ok: true, message: `Created repository ${repo.name}.` };
  },
});

export const renameRepositoryAction = formAction({
  permission: "software:write",
  schema: ZRenameRepository.strict(),
  run: async (actor, input) => {
    const { changed } = await renameRepository(db(), who(actor), input);
    revalidatePath("/software");
    return { ok: true, message: changed ? `Saved as ${input.name}.` : "Nothing changed." };
  },
});

export const deleteRepositoryAction = formAction({
  permission: "software:write",
  schema: ZRepositoryRef.strict(),
  run: async (actor, input) => {
    const { name, files } = await deleteRepository(db(), who(actor), input);
    revalidatePath("/software");
    return { ok: true, message: `Deleted repository ${name} and its ${files} ${files === 1 ? "file" : "files"}.` };
  },
});

export const deleteFileAction = formAction({
  permission: "software:write",
  schema: ZRepositoryFileRef.strict(),
  run: async (actor, input) => {
    await deleteFile(db(), who(actor), input);
    revalidatePath("/software");
    return { ok: true, message: `Deleted ${input.path}.` };
  },
});
