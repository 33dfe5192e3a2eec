// The /api/v1 dispatcher: finds the route, authenticates (API token or the browser session),
// checks the role and the token's scope, validates path, query and JSON body with the route's
// zod schemas, runs the handler, and answers JSON (errors in the one shape of server/http/route.ts).
// Each mutating call made with a token is audited (api-token.use).
import type { z } from "zod";
import { actorFromHeaders, authorize, type Actor } from "../auth/actor.ts";
import { auditTokenUse, authenticateApiToken, bearerApiToken, type TokenActor } from "../auth/api-tokens.ts";
import { db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { CLIENT_IP_HEADER } from "../http/client-ip.ts";
import { errorResponse } from "../http/route.ts";
import { logger } from "../log.ts";
import { DEFAULT_STATUS, matchRoute, type Route } from "./routes.ts";

const log = logger("api");

function fieldErrors(error: z.ZodError, prefix = ""): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) (out[[prefix, ...issue.path.map(String)].filter(Boolean).join(".") || "_"] ??= []).push(issue.message);
  return out;
}

function isToken(actor: Actor | null): actor is TokenActor {
  return actor !== null && "tokenId" in actor;
}

async function callerOf(request: Request): Promise<Actor | null> {
  const header = request.headers.get("authorization");
  const secret = bearerApiToken(header);
  if (secret) return authenticateApiToken(db(), secret, request.headers.get(CLIENT_IP_HEADER));
  if (header && /^Bearer\s/i.test(header)) throw new AppError("UNAUTHENTICATED", "That is not an API token: personal tokens start with ferry_pat_ (create one under Settings, API tokens).");
  return actorFromHeaders(request.headers);
}

function checkAccess(route: Route, actor: Actor | null): void {
  if ("public" in route.access) return;
  authorize(actor, route.access.permission);
  if (!isToken(actor)) return;
  if ("session" in route.access) throw new AppError("FORBIDDEN", "API tokens cannot create API tokens: sign in to the console to create one.");
  if (actor.readOnly && route.method !== "GET") throw new AppError("FORBIDDEN", `This API token is read-only: it may not ${route.method} ${route.path}.`);
}

async function readBody(route: Route, request: Request): Promise<unknown> {
  if (route.body === undefined || route.body === "binary") return undefined;
  const text = await request.text();
  let json: unknown = {};
  if (text.trim() !== "") {
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new AppError("INVALID_INPUT", `The request body is not JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const parsed = route.body.safeParse(json);
  if (!parsed.success) throw new AppError("INVALID_INPUT", "Check the fields.", fieldErrors(parsed.error));
  return parsed.data;
}

export async function handleApiRequest(request: Request, segments: readonly string[]): Promise<Response> {
  const path = `/${segments.join("/")}`;
  let actor: Actor | null = null;
  try {
    const found = matchRoute(request.method, path);
    if (!found) throw new AppError("NOT_FOUND", `There is no API route ${path}: see /api/v1/docs.`);
    if (!("route" in found)) {
      return Response.json({ error: { code: "METHOD_NOT_ALLOWED", message: `${path} takes ${found.allowed.join(", ")}, not ${request.method}.` } }, { status: 405, headers: { allow: found.allowed.join(", ") } });
    }
    const { route } = found;
    actor = await callerOf(request);
    checkAccess(route, actor);
    if (route.params && !route.params.safeParse(found.params).success) throw new AppError("NOT_FOUND", `There is no ${path}.`);
    const rawQuery = Object.fromEntries(new URL(request.url).searchParams);
    let query: Record<string, unknown> = rawQuery;
    if (route.query) {
      const parsed = route.query.safeParse(rawQuery);
      if (!parsed.success) throw new AppError("INVALID_INPUT", "Check the query parameters.", fieldErrors(parsed.error));
      query = parsed.data as Record<string, unknown>;
    }
    const body = await readBody(route, request);
    const result = await route.handler({ actor, params: found.params, query, body, request });
    const response = result instanceof Response ? result : Response.json(result, { status: route.status ?? DEFAULT_STATUS });
    if (isToken(actor) && route.method !== "GET") await auditTokenUse(db(), actor, { method: route.method, path, status: response.status });
    return response;
  } catch (e) {
    const response = errorResponse(e);
    if (isToken(actor) && request.method !== "GET") {
      await auditTokenUse(db(), actor, { method: request.method, path, status: response.status }).catch((err: unknown) => log.error("token audit failed", { error: String(err) }));
    }
    return response;
  }
}
