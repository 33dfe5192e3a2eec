// /api/v1/docs: the OpenAPI document as a plain server-rendered page (routes, who may call
// them, parameters and schemas), no script needed.
import { openApiDocument } from "./openapi.ts";

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

type Op = { summary: string; description: string; parameters: { name: string; in: string; required: boolean; description?: string }[]; requestBody?: { content: Record<string, { schema: unknown }> }; responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }> };

export function docsPage(): string {
  const doc = openApiDocument() as { info: { title: string; version: string; description: string }; paths: Record<string, Record<string, Op>> };
  const sections = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => {
      const params = op.parameters.length
        ? `<table><tr><th>Parameter</th><th>In</th><th>Required</th><th>About</th></tr>${op.parameters.map((p) => `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${p.required ? "yes" : "no"}</td><td>${esc(p.description ?? "")}</td></tr>`).join("")}</table>`
        : "";
      const body = op.requestBody ? Object.entries(op.requestBody.content).map(([type, c]) => `<p>Body (${esc(type)}):</p><pre>${esc(JSON.stringify(c.schema, null, 2))}</pre>`).join("") : "";
      const responses = Object.entries(op.responses).map(([code, r]) => `<li><strong>${esc(code)}</strong> ${esc(r.description)}${r.content?.["application/json"] && code.startsWith("2") ? `<details><summary>schema</summary><pre>${esc(JSON.stringify(r.content["application/json"].schema, null, 2))}</pre></details>` : ""}</li>`).join("");
      return `<section id="${esc(method + path)}"><h2><code>${esc(method.toUpperCase())} /api/v1${esc(path)}</code></h2><p>${esc(op.summary)}</p><p><em>${esc(op.description)}</em></p>${params}${body}<ul>${responses}</ul></section>`;
    }),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(doc.info.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.4}pre{background:#f4f4f4;padding:.5rem;overflow:auto;font-size:.8rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}section{border-top:1px solid #ddd;margin-top:1.5rem}</style></head>
<body><h1>${esc(doc.info.title)} ${esc(doc.info.version)}</h1><p>${esc(doc.info.description)}</p><p>Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1).</p>
${sections.join("\n")}</body></html>`;
}
