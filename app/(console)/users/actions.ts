"use server";
// Admins create users, change roles and sign users out everywhere. Each action checks the caller's session and role itself.
import { revalidatePath } from "next/cache";
import { db } from "@/server/db/client";
import { formAction } from "@/server/http/form-action";
import { disconnectRealtime } from "@/server/realtime/socket-server";
import { createUser } from "@/server/users/create-user";
import { revokeSessions } from "@/server/users/revoke-sessions";
import { ZNewUser, ZRoleChange, ZSessionRevocation } from "@/server/users/schemas";
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

export const revokeSessionsAction = formAction({
  permission: "user:revoke-sessions",
  schema: ZSessionRevocation.strict(),
  run: async (actor, input) => {
    const { email, revoked } = await revokeSessions(db(), { id: actor.id, email: actor.email, ip: actor.ip }, input);
    disconnectRealtime({ userId: input.userId }, "sessions-revoked");
    revalidatePath("/users");
    return { ok: true, message: `Signed ${email} out everywhere (${revoked} ${revoked === 1 ? "session" : "sessions"} ended).` };
  },
});
