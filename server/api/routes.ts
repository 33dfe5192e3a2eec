// Every /api/v1 route: method, path, who may call it, what it takes and answers, and a handler
// that calls the console's own server functions (the API is a thin layer over them). The
// dispatcher (handle.ts), the OpenAPI document (openapi.ts) and the route-walk test all read
// this one table.
import { Readable } from "node:stream";
import { z } from "zod";
import { listAgents } from "../agents/list-agents.ts";
import { listAudit, ZAuditFilter } from "../audit/list-audit.ts";
import type { Actor } from "../auth/actor.ts";
import { createApiToken, listApiTokens, revokeApiToken } from "../auth/api-tokens.ts";
import type { TPermission } from "../auth/roles.ts";
import { applyImport } from "../config/apply-import.ts";
import { createLayer } from "../config/create-layer.ts";
import { exportLayer, layerFileName } from "../config/export-layer.ts";
import { getLayer } from "../config/get-layer.ts";
import { getStack } from "../config/get-stack.ts";
import { toLayerModel, type LayerModel } from "../config/layer-model.ts";
import { listLayers } from "../config/list-layers.ts";
import { createConversion, getConversion, listConversions, requestCancel, retry } from "../conversions/store.ts";
import { db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { createRepository } from "../software/create-repository.ts";
import { listFiles } from "../software/list-files.ts";
import { listRepositories } from "../software/list-repositories.ts";
import { openFile } from "../software/open-file.ts";
import { ZRepositoryId } from "../software/schemas.ts";
import { uploadFile } from "../software/upload-file.ts";
import {
  ZApiToken,
  ZAuditQuery,
  ZConversion,
  ZConversionInput,
  ZConversionListQuery,
  ZFileQuery,
  ZId,
  ZLayerImportInput,
  ZLayerInput,
  ZLogPage,
  ZLogQuery,
  ZObject,
  ZRepositoryInput,
  ZRetryInput,
  ZTokenInput,
} from "./schemas.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/**
 * Who may call a route: a permission (a signed-in user or an API token whose owner's role has
 * it), `public` (anyone), or `session` (a signed-in user in a browser, never a token: tokens
 * cannot mint tokens).
 */
export type Access = { permission: TPermission } | { public: true } | { session: true; permission: TPermission };

export type Call = {
  actor: Actor | null;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  request: Request;
};

export type Route = {
  method: HttpMethod;
  path: string;
  summary: string;
  tag: string;
  access: Access;
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** JSON body schema, or `binary` for a raw upload. */
  body?: z.ZodType | "binary";
  /** What a success answers (JSON schema source), or `binary` for a download. */
  response: z.ZodType | "binary" | "html";
  status?: number;
  handler: (call: Call) => Promise<unknown>;
};

const ALL_STATUSES = 200;

function me(call: Call): Actor {
  if (!call.actor) throw new AppError("UNAUTHENTICATED", "Sign in or send Authorization: Bearer ferry_pat_...");
  return call.actor;
}

function repositoryId(call: Call): string {
  const parsed = ZRepositoryId.safeParse(call.params.id);
  if (!parsed.success) throw new AppError("NOT_FOUND", "That repository does not exist.");
  return parsed.data;
}

/** Each stack layer's elements of one kind, first searched first (as virt-v2v's -f files). */
async function stackElements<K extends "profiles" | "networks" | "capabilities" | "apps">(kind: K) {
  const stack = await getStack(db());
  return {
    layers: stack.map((s) => {
      const model: LayerModel = toLayerModel(s.config);
      return { layerId: s.layerId, layer: s.name, kind: s.kind, revision: s.revision, items: model[kind] };
    }),
  };
}

const ZStackList = z.object({ layers: z.array(z.object({ layerId: z.string(), layer: z.string(), kind: z.string(), revision: z.number(), items: z.array(ZObject) })) });

async function exportLayerFile(id: string): Promise<{ fileName: string; text: string }> {
  const layer = await getLayer(db(), id);
  return { fileName: layerFileName(layer.name), text: await exportLayer(db(), id) };
}

function logPage(detail: Awaited<ReturnType<typeof getConversion>>) {
  return { status: detail.status, attempt: detail.log.attempt, progress: detail.progress, error: detail.error, lines: detail.log.lines };
}

function withoutLog(detail: Awaited<ReturnType<typeof getConversion>>) {
  const { log: _log, ...rest } = detail;
  return rest;
}

export const ROUTES: Route[] = [
  // Configuration
  { method: "GET", path: "/profiles", tag: "configuration", summary: "Target profiles per layer of the configuration stack (-p)", access: { permission: "config:read" }, response: ZStackList, handler: () => stackElements("profiles") },
  { method: "GET", path: "/network-mappings", tag: "configuration", summary: "Network mappings per layer", access: { permission: "config:read" }, response: ZStackList, handler: () => stackElements("networks") },
  { method: "GET", path: "/capabilities", tag: "configuration", summary: "Capabilities (virtio, cirrus...) per layer", access: { permission: "config:read" }, response: ZStackList, handler: () => stackElements("capabilities") },
  { method: "GET", path: "/apps", tag: "configuration", summary: "Apps (software for the transfer ISO) per layer", access: { permission: "config:read" }, response: ZStackList, handler: () => stackElements("apps") },
  { method: "GET", path: "/layers", tag: "configuration", summary: "The configuration layers in search order", access: { permission: "config:read" }, response: z.object({ layers: z.array(ZObject) }), handler: async () => ({ layers: await listLayers(db()) }) },
  { method: "GET", path: "/layers/{id}", tag: "configuration", summary: "One layer with its current model", access: { permission: "config:read" }, params: ZId, response: ZObject, handler: async (c) => getLayer(db(), c.params.id!) },
  { method: "POST", path: "/layers", tag: "configuration", summary: "Create a team layer (searched before the Vendor layer)", access: { permission: "config:write" }, body: ZLayerInput, response: z.object({ layer: ZObject }), status: 201, handler: async (c) => ({ layer: await createLayer(db(), me(c), { description: "", ...(c.body as z.infer<typeof ZLayerInput>) }) }) },
  {
    method: "POST", path: "/layers/{id}/import", tag: "configuration", summary: "Replace a layer's content with a virt-v2v.conf (a new revision, audited)", access: { permission: "config:write" }, params: ZId, body: ZLayerImportInput, response: ZObject,
    handler: async (c) => applyImport(db(), me(c), { layerId: c.params.id!, ...(c.body as z.infer<typeof ZLayerImportInput>) }),
  },
  { method: "GET", path: "/layers/{id}/export", tag: "configuration", summary: "A layer as a virt-v2v.conf virt-v2v accepts", access: { permission: "config:read" }, params: ZId, response: z.object({ fileName: z.string(), text: z.string() }), handler: async (c) => exportLayerFile(c.params.id!) },

  // Software repositories
  { method: "GET", path: "/repositories", tag: "software", summary: "Software repositories with file counts", access: { permission: "software:read" }, response: z.object({ repositories: z.array(ZObject) }), handler: async () => ({ repositories: await listRepositories(db()) }) },
  { method: "POST", path: "/repositories", tag: "software", summary: "Create a repository", access: { permission: "software:write" }, body: ZRepositoryInput, response: z.object({ repository: ZObject }), status: 201, handler: async (c) => ({ repository: await createRepository(db(), me(c), { description: "", ...(c.body as z.infer<typeof ZRepositoryInput>) }) }) },
  { method: "GET", path: "/repositories/{id}/files", tag: "software", summary: "A repository's files", access: { permission: "software:read" }, params: ZId, response: ZObject, handler: async (c) => listFiles(db(), repositoryId(c)) },
  {
    method: "PUT", path: "/repositories/{id}/files", tag: "software", summary: "Upload a file (the request body is its bytes) to ?path=", access: { permission: "software:write" }, params: ZId, query: ZFileQuery, body: "binary", response: z.object({ file: ZObject }), status: 201,
    handler: async (c) => {
      if (!c.request.body) throw new AppError("INVALID_INPUT", "The request has no body: send the file's bytes as the body.");
      const length = c.request.headers.get("content-length");
      const file = await uploadFile(db(), me(c), { repositoryId: repositoryId(c), path: String(c.query.path), body: c.request.body, expectedSize: length === null ? null : Number(length), signal: c.request.signal });
      return { file };
    },
  },
  {
    method: "GET", path: "/repositories/{id}/files/download", tag: "software", summary: "Download the file at ?path=", access: { permission: "software:read" }, params: ZId, query: ZFileQuery, response: "binary",
    handler: async (c) => {
      const file = await openFile(db(), repositoryId(c), String(c.query.path));
      c.request.signal.addEventListener("abort", () => file.stream.destroy(), { once: true });
      const ascii = file.name.replace(/[^\x20-\x7e]|["\\]/g, "_");
      return new Response(Readable.toWeb(file.stream) as ReadableStream<Uint8Array>, {
        headers: { "content-type": "application/octet-stream", "content-length": String(file.size), "content-disposition": `attachment; filename="${ascii}"`, "x-content-sha256": file.sha256, "cache-control": "private, no-store" },
      });
    },
  },

  // Conversions
  { method: "GET", path: "/conversions", tag: "conversions", summary: "Conversions, newest first, with the console's filters", access: { permission: "conversion:read" }, query: ZConversionListQuery, response: z.object({ items: z.array(ZObject), total: z.number(), page: z.number(), pageSize: z.number() }).loose(), handler: async (c) => listConversions(db(), c.query) },
  { method: "POST", path: "/conversions", tag: "conversions", summary: "Queue a conversion (or a dry run): virt-v2v's options as JSON", access: { permission: "conversion:start" }, body: ZConversionInput, response: ZConversion, status: 201, handler: async (c) => createConversion(db(), me(c), c.body as z.infer<typeof ZConversionInput>) },
  { method: "GET", path: "/conversions/{id}", tag: "conversions", summary: "One conversion: request, plan, result, progress", access: { permission: "conversion:read" }, params: ZId, response: ZConversion, handler: async (c) => withoutLog(await getConversion(db(), c.params.id!, { tail: 1 })) },
  {
    method: "GET", path: "/conversions/{id}/log", tag: "conversions", summary: "Log lines of the latest attempt; ?after=SEQ gives the lines after one already seen", access: { permission: "conversion:read" }, params: ZId, query: ZLogQuery, response: ZLogPage,
    handler: async (c) => {
      const q = c.query as z.infer<typeof ZLogQuery>;
      return logPage(await getConversion(db(), c.params.id!, { afterSeq: q.after, attempt: q.attempt, tail: q.tail ?? (q.after !== undefined ? 5000 : 500) }));
    },
  },
  { method: "POST", path: "/conversions/{id}/cancel", tag: "conversions", summary: "Cancel (queued: at once; running: the agent stops it)", access: { permission: "conversion:cancel" }, params: ZId, response: ZConversion, handler: async (c) => requestCancel(db(), me(c), c.params.id!) },
  { method: "POST", path: "/conversions/{id}/retry", tag: "conversions", summary: "Queue a failed, cancelled or interrupted conversion again", access: { permission: "conversion:retry" }, params: ZId, body: ZRetryInput, response: ZConversion, handler: async (c) => retry(db(), me(c), c.params.id!, c.body as z.infer<typeof ZRetryInput>) },

  // Agents and audit
  { method: "GET", path: "/agents", tag: "agents", summary: "Conversion agents with their state and capabilities", access: { permission: "agent:read" }, response: z.object({ agents: z.array(ZObject) }), handler: async () => ({ agents: await listAgents(db()) }) },
  { method: "GET", path: "/audit", tag: "audit", summary: "The audit log, newest first (keyset: ?before=ID)", access: { permission: "audit:read" }, query: ZAuditQuery, response: z.object({ rows: z.array(ZObject), next: z.string().nullable() }), handler: async (c) => listAudit(db(), ZAuditFilter.parse(c.query)) },

  // The caller's own API tokens
  { method: "GET", path: "/tokens", tag: "tokens", summary: "Your API tokens", access: { permission: "token:manage" }, response: z.object({ tokens: z.array(ZApiToken) }), handler: async (c) => ({ tokens: await listApiTokens(db(), me(c).id) }) },
  { method: "POST", path: "/tokens", tag: "tokens", summary: "Create an API token (signed-in session only); the secret is in this answer only", access: { session: true, permission: "token:manage" }, body: ZTokenInput, response: z.object({ token: ZApiToken, secret: z.string() }), status: 201, handler: async (c) => createApiToken(db(), me(c), c.body as z.infer<typeof ZTokenInput>) },
  { method: "DELETE", path: "/tokens/{id}", tag: "tokens", summary: "Revoke one of your tokens", access: { permission: "token:manage" }, params: ZId, response: z.object({ token: ZApiToken }), handler: async (c) => ({ token: await revokeApiToken(db(), me(c), c.params.id!) }) },

  // The API's own description
  { method: "GET", path: "/openapi.json", tag: "meta", summary: "This API as an OpenAPI 3.1 document", access: { public: true }, response: ZObject, handler: async () => (await import("./openapi.ts")).openApiDocument() },
  { method: "GET", path: "/docs", tag: "meta", summary: "This API as a readable page", access: { public: true }, response: "html", handler: async () => new Response((await import("./docs-page.ts")).docsPage(), { headers: { "content-type": "text/html; charset=utf-8" } }) },
];

export const DEFAULT_STATUS = ALL_STATUSES;

/** The route for a method and a path below /api/v1, with its path parameters. */
export function matchRoute(method: string, path: string): { route: Route; params: Record<string, string> } | { allowed: HttpMethod[] } | null {
  const parts = path.split("/").filter(Boolean);
  const allowed: HttpMethod[] = [];
  for (const route of ROUTES) {
    const tpl = route.path.split("/").filter(Boolean);
    if (tpl.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = tpl.every((t, i) => {
      const m = /^\{(\w+)\}$/.exec(t);
      if (m) {
        params[m[1]!] = decodeURIComponent(parts[i]!);
        return true;
      }
      return t === parts[i];
    });
    if (!ok) continue;
    if (route.method === method) return { route, params };
    allowed.push(route.method);
  }
  return allowed.length ? { allowed } : null;
}
