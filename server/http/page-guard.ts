// Pages ask for the actor themselves: no session -> sign-in (or first-run setup), wrong role ->
// the 403 page.
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { actorFromHeaders, type Actor } from "../auth/actor.ts";
import { can, type TPermission } from "../auth/roles.ts";
import { db } from "../db/client.ts";
import { needsSetup } from "../users/first-admin.ts";

export async function pageActor(permission: TPermission = "console:view"): Promise<Actor> {
  const actor = await actorFromHeaders(await headers());
  if (!actor) {
    if (await needsSetup(db())) redirect("/setup");
    redirect("/sign-in");
  }
  if (!can(actor.role, permission)) forbidden();
  return actor;
}
