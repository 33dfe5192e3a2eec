// Who is calling: the signed-in user behind a request's cookies, with their role. Every server
// action, route handler and page asks this itself; nothing relies on a layout having checked.
import { AppError } from "../errors.ts";
import { auth } from "./auth.ts";
import { can, isRole, type TPermission, type TRole } from "./roles.ts";
import { CLIENT_IP_HEADER } from "../http/client-ip.ts";

export type Actor = { id: string; name: string; email: string; role: TRole; sessionId: string; ip: string | null };

export async function actorFromHeaders(headers: Headers): Promise<Actor | null> {
  const session = await auth().api.getSession({ headers });
  if (!session) return null;
  const role = (session.user as { role?: unknown }).role;
  if (!isRole(role)) return null;
  return {
    id: session.user.id,
    name: session.user.name,
    email: session.user.email,
    role,
    sessionId: session.session.id,
    ip: headers.get(CLIENT_IP_HEADER),
  };
}

export function authorize(actor: Actor | null, permission: TPermission): Actor {
  if (!actor) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  if (!can(actor.role, permission)) throw new AppError("FORBIDDEN", `Your role (${actor.role}) does not allow this (${permission}).`);
  return actor;
}

export async function requireActor(headers: Headers, permission: TPermission): Promise<Actor> {
  return authorize(await actorFromHeaders(headers), permission);
}
