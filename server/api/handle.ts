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

// A JSON body larger than this is refused before it is read whole (a 32 MiB virt-v2v.conf
// import, JSON-escaped, fits).
export const MAX_JSON_BODY_BYTES = 48 * 1024 * 1024;

function fieldErrors(error: z.ZodError, prefix = ""): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (path: PropertyKey[], message: string) => (out[[prefix, ...path.map(String)].filter(Boolean).join(".") || "_"] ??= []).push(message);
  for (const issue of error.issues) {
    // An unknown field is reported under its own name, so a caller sees which one to remove.
    if (issue.code === "unrecognized_keys") for (const key of issue.keys) add([...issue.path, key], `Unknown field "${shortened(key)}": remove it (see /api/v1/docs).`);
    else add(issue.path, issue.message);
  }
  return out;
}

/** A caller's text in a message, cut short (a 1 MB name is not echoed back). */
function shortened(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/** The body as text, refused past `max` bytes without reading more than that. */
async function readCapped(request: Request, max: number): Promise<string> {
  const tooLarge = () => new AppError("TOO_LARGE", `The request body is larger than ${max / 1024 / 1024} MiB.`);
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > max) throw tooLarge();
  if (!request.body) return "";
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > max) throw tooLarge();
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
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
  if (route.body === "binary") return undefined;
  const text = await readCapped(request, MAX_JSON_BODY_BYTES);
  if (route.body === undefined) {
    if (text.trim() !== "") throw new AppError("INVALID_INPUT", `${route.method} ${route.path} takes no request body.`);
    return undefined;
  }
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

/** matchRoute, with a path segment that is not valid %-encoding (URIError) as no route at all. */
function routeFor(method: string, path: string): ReturnType<typeof matchRoute> {
  try {
    return matchRoute(method, path);
  } catch (e) {
    if (e instanceof URIError) return null;
    throw e;
  }
}

export async function handleApiRequest(request: Request, segments: readonly string[]): Promise<Response> {
  const path = `/${segments.join("/")}`;
  let actor: Actor | null = null;
  try {
    const found = routeFor(request.method, path);
    if (!found) throw new AppError("NOT_FOUND", `There is no API route ${shortened(path)}: see /api/v1/docs.`);
    if (!("route" in found)) {
      return Response.json({ error: { code: "METHOD_NOT_ALLOWED", message: `${path} takes ${found.allowed.join(", ")}, not ${request.method}.` } }, { status: 405, headers: { allow: found.allowed.join(", ") } });
    }
    const { route } = found;
    actor = await callerOf(request);
    checkAccess(route, actor);
    if (route.params && !route.params.safeParse(found.params).success) throw new AppError("NOT_FOUND", `There is no ${shortened(path)}.`);
    const rawQuery = Object.fromEntries(new URL(request.url).searchParams);
    let query: Record<string, unknown> = rawQuery;
    if (!route.query && Object.keys(rawQuery).length > 0) {
      const fields = Object.fromEntries(Object.keys(rawQuery).map((k) => [k, [`Unknown query parameter "${shortened(k)}": ${route.method} ${route.path} takes none.`]]));
      throw new AppError("INVALID_INPUT", "Check the query parameters.", fields);
    }
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
