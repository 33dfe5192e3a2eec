// The state and helpers the config parser's modules share: positions, issues, and reading
// fast-xml-parser's ordered tree (tag, children, attributes, text).
import { ConfigParseError, type ConfigIssue, type SourcePos } from "./errors.ts";
import { ATTRS, CDATA, TEXT, LineIndex, decodeXmlText, nodeMeta, type OrderedNode } from "./xml-options.ts";

export type Ctx = {
  file: string;
  text: string;
  lines: LineIndex | undefined;
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
};

export function createCtx(text: string, file: string): Ctx {
  return { file, text, lines: undefined, errors: [], warnings: [] };
}

export function tagOf(node: OrderedNode): string {
  // for-in rather than Object.keys: no array per call (this runs for every node).
  for (const key in node) if (key !== ATTRS) return key;
  return TEXT;
}

export function childrenOf(node: OrderedNode): OrderedNode[] {
  const value = node[tagOf(node)];
  return Array.isArray(value) ? (value as OrderedNode[]) : [];
}

export function attrsOf(node: OrderedNode): Record<string, string | undefined> {
  const raw = node[ATTRS] as Record<string, unknown> | undefined;
  // No prototype: an attribute named __proto__ is just an (unknown) attribute.
  const out = Object.create(null) as Record<string, string | undefined>;
  if (!raw) return out;
  for (const key in raw) out[key] = decodeXmlText(String(raw[key]));
  return out;
}

/** Trimmed text content; undefined when there is none (virt-v2v's "no text node"). */
export function textOf(node: OrderedNode): string | undefined {
  let text = "";
  for (const child of childrenOf(node)) {
    const tag = tagOf(child);
    if (tag === TEXT) text += decodeXmlText(String(child[TEXT]));
    else if (tag === CDATA) {
      for (const part of childrenOf(child)) if (tagOf(part) === TEXT) text += String(part[TEXT]);
    }
  }
  const trimmed = text.trim();
  return trimmed === "" ? undefined : trimmed;
}

export function startOf(node: OrderedNode): number {
  return nodeMeta(node).startIndex ?? 0;
}

export function startTagText(ctx: Ctx, node: OrderedNode): string {
  const start = startOf(node);
  const end = ctx.text.indexOf(">", start);
  return ctx.text.slice(start, end === -1 ? undefined : end + 1).replace(/\s+/g, " ");
}

export function attrOffset(ctx: Ctx, node: OrderedNode, attr: string): number {
  const start = startOf(node);
  const end = ctx.text.indexOf(">", start);
  const tag = ctx.text.slice(start, end === -1 ? undefined : end);
  const m = new RegExp(`\\s${attr}\\s*=`).exec(tag);
  return m ? start + m.index + 1 : start;
}

export function warnUnknownAttrs(ctx: Ctx, node: OrderedNode, known: readonly string[]): void {
  const raw = node[ATTRS] as Record<string, unknown> | undefined;
  if (!raw) return;
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) {
      warn(ctx, attrOffset(ctx, node, key), `unknown attribute ${key} on <${tagOf(node)}> is ignored`);
    }
  }
}

export function warnUnknownElement(ctx: Ctx, node: OrderedNode, parent: string): void {
  warn(ctx, startOf(node), `unknown element <${tagOf(node)}> in ${parent} is ignored`);
}

export function pos(ctx: Ctx, offset: number): SourcePos {
  // The start needs no index (a refused oversized text is reported there without one).
  if (offset === 0) return { line: 1, column: 1 };
  ctx.lines ??= new LineIndex(ctx.text);
  return ctx.lines.at(offset);
}

export function issue(ctx: Ctx, offset: number, message: string): ConfigIssue {
  return { file: ctx.file, ...pos(ctx, offset), message };
}

export function warn(ctx: Ctx, offset: number, message: string): void {
  ctx.warnings.push(issue(ctx, offset, message));
}

export function error(ctx: Ctx, offset: number, message: string): void {
  ctx.errors.push(issue(ctx, offset, message));
}

export function fail(ctx: Ctx, offset: number, message: string): never {
  throw new ConfigParseError([issue(ctx, offset, message)]);
}
