// The OpenAPI document checked against OpenAPI 3.1's structural rules (no validator package is
// a dependency of the project, so the rules are written out here): the required objects, path
// templates and their path parameters, unique operation ids and parameters, response codes,
// resolvable $refs, declared security schemes, and schemas in JSON Schema 2020-12 form. And it
// describes exactly the routes the dispatcher serves.
import { describe, expect, test } from "vitest";
import { openApiDocument } from "../../../server/api/openapi.ts";
import { ROUTES } from "../../../server/api/routes.ts";

type Json = Record<string, unknown>;
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

function problems(doc: Json): string[] {
  const out: string[] = [];
  const need = (cond: unknown, msg: string) => void (cond ? undefined : out.push(msg));
  need(typeof doc.openapi === "string" && /^3\.1\.\d+$/.test(doc.openapi), "openapi must be 3.1.x");
  const info = doc.info as Json | undefined;
  need(info && typeof info.title === "string" && typeof info.version === "string", "info.title and info.version are required");
  const paths = doc.paths as Record<string, Json> | undefined;
  need(paths && typeof paths === "object", "paths must be an object");
  const components = (doc.components ?? {}) as { schemas?: Record<string, Json>; securitySchemes?: Record<string, Json> };
  const schemes = components.securitySchemes ?? {};
  for (const [name, scheme] of Object.entries(schemes)) {
    need(["apiKey", "http", "mutualTLS", "oauth2", "openIdConnect"].includes(String(scheme.type)), `securityScheme ${name}: bad type`);
    if (scheme.type === "http") need(typeof scheme.scheme === "string", `securityScheme ${name}: http needs scheme`);
    if (scheme.type === "apiKey") need(typeof scheme.name === "string" && ["query", "header", "cookie"].includes(String(scheme.in)), `securityScheme ${name}: apiKey needs name and in`);
  }
  const ids = new Set<string>();
  const refs: string[] = [];
  const walk = (v: unknown, where: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${where}/${i}`));
    else if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        if (k === "$ref") refs.push(String(x));
        if (k === "$schema") out.push(`${where}: $schema inside the document`);
        walk(x, `${where}/${k}`);
      }
    }
  };
  walk(doc, "#");
  for (const ref of refs) {
    const target = ref.startsWith("#/") ? ref.slice(2).split("/").reduce<unknown>((o, k) => (o as Json | undefined)?.[k], doc) : undefined;
    need(target !== undefined, `$ref ${ref} does not resolve`);
  }
  for (const [path, item] of Object.entries(paths ?? {})) {
    need(path.startsWith("/"), `path ${path} must start with /`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    for (const [method, op] of Object.entries(item)) {
      const where = `${method.toUpperCase()} ${path}`;
      need(METHODS.includes(method), `${where}: not an HTTP method`);
      const operation = op as Json;
      need(typeof operation.operationId === "string", `${where}: operationId`);
      need(!ids.has(String(operation.operationId)), `${where}: duplicate operationId ${String(operation.operationId)}`);
      ids.add(String(operation.operationId));
      const params = (operation.parameters ?? []) as Json[];
      const seen = new Set<string>();
      for (const p of params) {
        need(typeof p.name === "string" && ["query", "header", "path", "cookie"].includes(String(p.in)), `${where}: parameter needs name and in`);
        need(!seen.has(`${String(p.in)}:${String(p.name)}`), `${where}: duplicate parameter ${String(p.name)}`);
        seen.add(`${String(p.in)}:${String(p.name)}`);
        need(("schema" in p) !== ("content" in p), `${where}: parameter ${String(p.name)} needs exactly one of schema or content`);
        if (p.in === "path") need(p.required === true && templated.includes(String(p.name)), `${where}: path parameter ${String(p.name)} must be required and in the template`);
      }
      for (const t of templated) need(params.some((p) => p.in === "path" && p.name === t), `${where}: {${t}} has no path parameter`);
      const responses = operation.responses as Record<string, Json> | undefined;
      need(responses && Object.keys(responses).length > 0, `${where}: responses`);
      for (const [code, r] of Object.entries(responses ?? {})) {
        need(/^([1-5]\d\d|[1-5]XX|default)$/.test(code), `${where}: response code ${code}`);
        need(typeof r.description === "string" || typeof r.$ref === "string", `${where}: response ${code} needs a description`);
      }
      if (operation.requestBody) need(typeof (operation.requestBody as Json).content === "object", `${where}: requestBody.content`);
      for (const req of (operation.security ?? []) as Json[]) for (const name of Object.keys(req)) need(name in schemes, `${where}: unknown security scheme ${name}`);
    }
  }
  // JSON Schema 2020-12 form: no draft-04-only keywords, types among the JSON types.
  const checkSchema = (s: unknown, where: string) => {
    if (!s || typeof s !== "object") return;
    const schema = s as Json;
    if ("definitions" in schema) out.push(`${where}: definitions (use $defs)`);
    if (typeof schema.exclusiveMinimum === "boolean" || typeof schema.exclusiveMaximum === "boolean") out.push(`${where}: boolean exclusiveMinimum/Maximum is draft-04`);
    for (const t of [schema.type].flat().filter((x) => x !== undefined)) {
      if (!["null", "boolean", "object", "array", "number", "string", "integer"].includes(String(t))) out.push(`${where}: type ${String(t)}`);
    }
    for (const [k, v] of Object.entries(schema)) if (typeof v === "object") checkSchema(v, `${where}/${k}`);
  };
  for (const [name, s] of Object.entries(components.schemas ?? {})) checkSchema(s, `#/components/schemas/${name}`);
  return out;
}

describe("/api/v1/openapi.json", () => {
  const doc = openApiDocument();

  test("is a structurally valid OpenAPI 3.1 document", () => {
    expect(problems(doc)).toEqual([]);
  });

  test("documents exactly the routes the dispatcher serves, each saying who may call it", () => {
    const paths = doc.paths as Record<string, Record<string, { description: string }>>;
    const documented = Object.entries(paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(documented.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    expect(paths["/conversions"]!.post!.description).toBe("Roles: admin, operator (permission conversion:start). Read-only tokens: GET only.");
    for (const p of ["/profiles", "/network-mappings", "/capabilities", "/apps", "/layers", "/repositories", "/repositories/{id}/files", "/repositories/{id}/files/download", "/conversions", "/conversions/{id}", "/conversions/{id}/log", "/conversions/{id}/cancel", "/conversions/{id}/retry", "/agents", "/audit"]) {
      expect(Object.keys(paths), p).toContain(p);
    }
  });

  test("the request schemas come from the zod schemas: the conversion request is virt-v2v's options", () => {
    const schemas = (doc.components as { schemas: Record<string, { properties: Record<string, { properties?: Record<string, { enum?: string[] }> }> }> }).schemas;
    const output = schemas.ConversionRequest!.properties.output!.properties!;
    expect(output.method!.enum).toEqual(["libvirt", "local", "rhev"]);
    expect(output.format!.enum).toEqual(["raw", "qcow2"]);
    expect(output.allocation!.enum).toEqual(["sparse", "preallocated"]);
  });

  test("the checker catches what breaks the rules", () => {
    const broken = JSON.parse(JSON.stringify(doc)) as Json;
    (broken as { openapi: string }).openapi = "3.0.3";
    const paths = broken.paths as Record<string, Record<string, Json>>;
    paths["/conversions/{id}"]!.get!.parameters = [];
    paths["/agents"]!.get!.responses = { "2xx": { description: "x" } };
    expect(problems(broken)).toEqual(["openapi must be 3.1.x", "GET /conversions/{id}: {id} has no path parameter", "GET /agents: response code 2xx"]);
  });
});
