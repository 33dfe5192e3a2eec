"use server";
// Sign-out for every console page: ends the session in the database, clears the cookie, and
// closes this session's live connections.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { actorFromHeaders } from "@/server/auth/actor";
import { auth } from "@/server/auth/auth";
import { disconnectRealtime } from "@/server/realtime/socket-server";

export async function signOutAction(): Promise<void> {
  const h = await headers();
  const actor = await actorFromHeaders(h);
  if (actor) {
    await auth().api.signOut({ headers: h });
    disconnectRealtime({ sessionId: actor.sessionId }, "signed-out");
  }
  redirect("/sign-in");
}
