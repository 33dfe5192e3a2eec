// The OpenAPI 3.1 document of /api/v1, generated from the route table and its zod schemas
// (zod 4's z.toJSONSchema, draft 2020-12, which OpenAPI 3.1 uses as its schema dialect).
import { z } from "zod";
import { ROLES, PERMISSIONS } from "../auth/roles.ts";
import { ROUTES, type Access, type Route } from "./routes.ts";
import { ZApiToken, ZConversion, ZConversionInput, ZError, ZLogPage, ZRepositoryInput, ZTokenInput } from "./schemas.ts";

type Json = Record<string, unknown>;

/** Schemas the document names (components.schemas), referenced where a route uses them whole. */
const NAMED: Record<string, [z.ZodType, "input" | "output"]> = {
  Error: [ZError, "output"],
  ConversionRequest: [ZConversionInput, "input"],
  Conversion: [ZConversion, "output"],
  LogPage: [ZLogPage, "output"],
  ApiToken: [ZApiToken, "output"],
  ApiTokenRequest: [ZTokenInput, "input"],
  RepositoryRequest: [ZRepositoryInput, "input"],
};

/** A JSON Schema for OpenAPI: input side for requests, output for answers, without $schema. */
export function jsonSchema(schema: z.ZodType, io: "input" | "output"): Json {
  for (const [name, [named, side]] of Object.entries(NAMED)) if (named === schema && side === io) return { $ref: `#/components/schemas/${name}` };
  return inlineSchema(schema, io);
}

function inlineSchema(schema: z.ZodType, io: "input" | "output"): Json {
  const out = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any", reused: "inline" }) as Json;
  delete out.$schema;
  return out;
}

export function accessText(access: Access): string {
  if ("public" in access) return "Anyone (no authentication).";
  const roles = (PERMISSIONS[access.permission] as readonly string[]).join(", ");
  return `Roles: ${roles} (permission ${access.permission})${"session" in access ? "; a signed-in session only, not an API token" : ""}. Read-only tokens: GET only.`;
}

function parameters(route: Route): Json[] {
  const list: Json[] = [];
  for (const [place, schema] of [["path", route.params], ["query", route.query]] as const) {
    if (!schema) continue;
    const js = jsonSchema(schema, "input") as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, prop] of Object.entries(js.properties ?? {})) {
      const { description, ...rest } = prop as Json & { description?: string };
      list.push({ name, in: place, required: place === "path" || (js.required ?? []).includes(name), schema: rest, ...(description ? { description } : {}) });
    }
  }
  return list;
}

function operation(route: Route): Json {
  const ok: Json =
    route.response === "binary"
      ? { description: "The file", content: { "application/octet-stream": { schema: { type: "string", contentMediaType: "application/octet-stream" } } } }
      : route.response === "html"
        ? { description: "HTML page", content: { "text/html": { schema: { type: "string" } } } }
        : { description: "Success", content: { "application/json": { schema: jsonSchema(route.response, "output") } } };
  const error = { description: "Error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
  const responses: Json = { [String(route.status ?? 200)]: ok };
  if (!("public" in route.access)) Object.assign(responses, { "401": error, "403": error });
  if (route.params) responses["404"] = error;
  if (route.body || route.query) responses["422"] = error;
  const op: Json = {
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[{}]/g, "").replace(/[/.-](\w)/g, (_m, c: string) => c.toUpperCase())}`,
    summary: route.summary,
    description: accessText(route.access),
    tags: [route.tag],
    parameters: parameters(route),
    responses,
    security: "public" in route.access ? [] : "session" in route.access ? [{ session: [] }] : [{ bearer: [] }, { session: [] }],
  };
  if (route.body === "binary") op.requestBody = { required: true, content: { "application/octet-stream": { schema: { type: "string", contentMediaType: "application/octet-stream" } } } };
  else if (route.body) op.requestBody = { required: true, content: { "application/json": { schema: jsonSchema(route.body, "input") } } };
  return op;
}

export function openApiDocument(version = process.env.npm_package_version ?? "1"): Json {
  const paths: Record<string, Json> = {};
  for (const route of ROUTES) (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route);
  return {
    openapi: "3.1.0",
    info: {
      title: "Ferry API",
      version,
      description: `Everything the console does, for scripts. Authenticate with Authorization: Bearer ferry_pat_... (a personal API token: it acts with its owner's role, ${ROLES.join(", ")}) or a console session cookie. Errors: {error: {code, message, fields?}}.`,
    },
    servers: [{ url: "/api/v1" }],
    tags: [...new Set(ROUTES.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(NAMED).map(([name, [schema, io]]) => [name, inlineSchema(schema, io)])),
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "A personal API token, ferry_pat_..." },
        session: { type: "apiKey", in: "cookie", name: "better-auth.session_token", description: "The console's sign-in session" },
      },
    },
  };
}
