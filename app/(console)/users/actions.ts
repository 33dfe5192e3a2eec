"use server";
// Admins create users and change roles. Each action checks the caller's session and role itself.
import { revalidatePath } from "next/cache";
import { db } from "@/server/db/client";
import { formAction } from "@/server/http/form-action";
import { disconnectRealtime } from "@/server/realtime/socket-server";
import { createUser } from "@/server/users/create-user";
import { ZNewUser, ZRoleChange } from "@/server/users/schemas";
import { setUserRole } from "@/server/users/set-role";

export const createUserAction = formAction({
  permission: "user:create",
  schema: ZNewUser.strict(),
  run: async (actor, input) => {
    const user = await createUser(db(), { id: actor.id, email: actor.email, ip: actor.ip }, input);
    revalidatePath("/users");
    return { ok: true, message: `Created ${user.email} (${user.role}). They can sign in now.` };
  },
});

export const setRoleAction = formAction({
  permission: "user:update-role",
  schema: ZRoleChange.strict(),
  run: async (actor, input) => {
    const { changed } = await setUserRole(db(), { id: actor.id, email: actor.email, ip: actor.ip }, input);
    if (changed) disconnectRealtime({ userId: input.userId }, "role-changed");
    revalidatePath("/users");
    return { ok: true, message: changed ? `Role changed to ${input.role}.` : "The role was already that." };
  },
});
