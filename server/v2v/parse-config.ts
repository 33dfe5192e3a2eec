// Parses one virt-v2v.conf text into the model, with every error and warning placed at
// file:line:column. Errors are collected and thrown together as one ConfigParseError.
import { ConfigParseError, type ConfigIssue, type SourcePos } from "./errors.ts";
import type {
  App,
  Capability,
  CapabilityDep,
  ConfigFile,
  MatchAttrs,
  NetworkMapping,
  NetworkTarget,
  Profile,
  Storage,
} from "./model.ts";
import { checkXml } from "./check-xml.ts";
import { isValidEvr } from "./rpm-version.ts";
import {
  ATTRS,
  CDATA,
  TEXT,
  LineIndex,
  createConfigParser,
  decodeXmlText,
  nodeMeta,
  type OrderedNode,
} from "./xml-options.ts";

const MATCH_ATTRS = ["name", "os", "distro", "major", "minor", "arch"] as const;

type Ctx = {
  file: string;
  text: string;
  lines: LineIndex | undefined;
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
};

/** Parses `text` (the content of `file`). Throws ConfigParseError; never expands entities. */
export function parseConfig(text: string, file: string): ConfigFile {
  const ctx: Ctx = { file, text, lines: undefined, errors: [], warnings: [] };

  const problem = checkXml(text, (offset) => pos(ctx, offset));
  if (problem) fail(ctx, problem.offset, problem.kind === "forbidden" ? problem.message : `malformed XML: ${problem.message}`);

  let tree: OrderedNode[];
  try {
    tree = createConfigParser().parse(text) as OrderedNode[];
  } catch (error) {
    // checkXml should have caught anything the parser refuses; never leak an untyped error.
    fail(ctx, 0, `malformed XML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const root = tree.find((node) => tagOf(node) !== TEXT);
  if (!root) fail(ctx, 0, "no root element: a virt-v2v configuration is a <virt-v2v> element");
  const rootTag = tagOf(root);
  if (rootTag !== "virt-v2v") {
    fail(ctx, startOf(root), `the root element is <${rootTag}>; a virt-v2v configuration must be <virt-v2v>`);
  }

  const config: ConfigFile = {
    file,
    pathRoot: undefined,
    isoPath: undefined,
    profiles: [],
    networks: [],
    capabilities: [],
    apps: [],
    warnings: ctx.warnings,
  };
  warnUnknownAttrs(ctx, root, []);
  let seenDefault = false;

  for (const node of childrenOf(root)) {
    const tag = tagOf(node);
    switch (tag) {
      case TEXT:
      case CDATA:
        break;
      case "path-root":
      case "iso-path": {
        warnUnknownAttrs(ctx, node, []);
        const value = textOf(ctx, node);
        const key = tag === "path-root" ? "pathRoot" : "isoPath";
        if (config[key] !== undefined) warn(ctx, startOf(node), `<${tag}> is given more than once; the first one is used`);
        else if (value === undefined) warn(ctx, startOf(node), `<${tag}> is empty and is ignored`);
        else config[key] = value;
        break;
      }
      case "profile":
        config.profiles.push(parseProfile(ctx, node, config.profiles));
        break;
      case "network": {
        const mapping = parseNetwork(ctx, node, seenDefault);
        if (mapping.type === "default") seenDefault = true;
        config.networks.push(mapping);
        break;
      }
      case "capability":
        config.capabilities.push(parseCapability(ctx, node));
        break;
      case "app":
        config.apps.push(parseApp(ctx, node));
        break;
      default:
        warnUnknownElement(ctx, node, "<virt-v2v>");
    }
  }

  const [first, ...rest] = ctx.errors;
  if (first) throw new ConfigParseError([first, ...rest]);
  return config;
}

function parseMatchAttrs(ctx: Ctx, node: OrderedNode, kind: "app" | "capability"): MatchAttrs {
  const a = attrsOf(ctx, node);
  // Object literals with a fixed key order: the ladder reads these fields constantly, and
  // objects assembled key by key or by spreading measured 10x slower to read.
  const out: MatchAttrs = { name: a.name, os: a.os, distro: a.distro, major: a.major, minor: a.minor, arch: a.arch };
  const at = startOf(node);
  if (out.name === undefined) warn(ctx, at, `<${kind}> has no name attribute, so it never matches`);
  if (out.os === undefined) warn(ctx, at, `<${kind}> has no os attribute, so it never matches`);
  if (out.minor !== undefined && out.major === undefined) {
    warn(ctx, at, `<${kind}> has minor but no major, so no rung of the matching ladder can match it`);
  }
  return out;
}

function parseCapability(ctx: Ctx, node: OrderedNode): Capability {
  warnUnknownAttrs(ctx, node, MATCH_ATTRS);
  const attrs = parseMatchAttrs(ctx, node, "capability");
  if (attrs.arch !== undefined) {
    warn(
      ctx,
      attrOffset(ctx, node, "arch"),
      "capabilities are matched without an architecture, so a <capability> with an arch attribute never matches",
    );
  }
  const deps: CapabilityDep[] = [];
  const seen = new Set<string>();
  for (const child of childrenOf(node)) {
    const tag = tagOf(child);
    if (tag === TEXT || tag === CDATA) continue;
    if (tag !== "dep") {
      warnUnknownElement(ctx, child, "<capability>");
      continue;
    }
    warnUnknownAttrs(ctx, child, ["name", "minversion", "ifinstalled"]);
    const a = attrsOf(ctx, child);
    if (a.name === undefined) {
      error(
        ctx,
        startOf(child),
        `Capability in config contains a dependency with no name attribute: ${startTagText(ctx, child)}`,
      );
      continue;
    }
    if (a.minversion !== undefined && !isValidEvr(a.minversion)) {
      error(
        ctx,
        attrOffset(ctx, child, "minversion"),
        `Unrecognised format for minversion in config: ${a.minversion}. ` +
          "minversion must be in the format [epoch:]version[-release].",
      );
    }
    if (a.ifinstalled !== undefined && !["yes", "1", "no", "0"].includes(a.ifinstalled)) {
      warn(
        ctx,
        attrOffset(ctx, child, "ifinstalled"),
        `ifinstalled='${a.ifinstalled}' is treated as false: only 'yes' or '1' mean true`,
      );
    }
    if (seen.has(a.name)) {
      warn(ctx, startOf(child), `dependency ${a.name} is listed twice in this capability; the last one is used`);
    }
    seen.add(a.name);
    deps.push({ name: a.name, minversion: a.minversion, ifinstalled: a.ifinstalled, at: pos(ctx, startOf(child)) });
  }
  const { name, os, distro, major, minor, arch } = attrs;
  return { name, os, distro, major, minor, arch, deps, at: pos(ctx, startOf(node)) };
}

function parseApp(ctx: Ctx, node: OrderedNode): App {
  warnUnknownAttrs(ctx, node, MATCH_ATTRS);
  const attrs = parseMatchAttrs(ctx, node, "app");
  let path: string | undefined;
  let pathSeen = false;
  const deps: string[] = [];
  for (const child of childrenOf(node)) {
    const tag = tagOf(child);
    if (tag === TEXT || tag === CDATA) continue;
    if (tag === "path") {
      warnUnknownAttrs(ctx, child, []);
      if (pathSeen) {
        warn(ctx, startOf(child), "<app> has more than one <path>; the first one is used");
        continue;
      }
      pathSeen = true;
      path = textOf(ctx, child);
    } else if (tag === "dep") {
      warnUnknownAttrs(ctx, child, []);
      const name = textOf(ctx, child);
      if (name === undefined) warn(ctx, startOf(child), "empty <dep> in <app> is ignored");
      else deps.push(name);
    } else {
      warnUnknownElement(ctx, child, "<app>");
    }
  }
  if (path === undefined) {
    error(ctx, startOf(node), `app entry in config doesn't contain a path: ${startTagText(ctx, node)}`);
  }
  const { name, os, distro, major, minor, arch } = attrs;
  return { name, os, distro, major, minor, arch, path: path ?? "", deps, at: pos(ctx, startOf(node)) };
}

function parseProfile(ctx: Ctx, node: OrderedNode, earlier: Profile[]): Profile {
  warnUnknownAttrs(ctx, node, ["name"]);
  const name = attrsOf(ctx, node).name;
  const at = startOf(node);
  if (name === undefined) warn(ctx, at, "<profile> has no name attribute, so it can never be selected");
  else if (earlier.some((p) => p.name === name)) {
    warn(ctx, at, `Multiple profiles defined with name ${name}. Which profile is used is undefined.`);
  }
  let method: string | undefined;
  let methodSeen = false;
  let storage: Storage | undefined;
  const networks: NetworkMapping[] = [];
  let seenDefault = false;
  for (const child of childrenOf(node)) {
    const tag = tagOf(child);
    if (tag === TEXT || tag === CDATA) continue;
    if (tag === "method") {
      warnUnknownAttrs(ctx, child, []);
      if (methodSeen) warn(ctx, startOf(child), "<profile> has more than one <method>; the first one is used");
      else method = textOf(ctx, child);
      methodSeen = true;
    } else if (tag === "storage") {
      warnUnknownAttrs(ctx, child, ["format", "allocation"]);
      if (storage) {
        warn(ctx, startOf(child), "<profile> has more than one <storage>; the first one is used");
        continue;
      }
      const a = attrsOf(ctx, child);
      storage = { location: textOf(ctx, child), format: a.format, allocation: a.allocation, at: pos(ctx, startOf(child)) };
      if (a.format !== undefined && a.format !== "raw" && a.format !== "qcow2") {
        warn(ctx, attrOffset(ctx, child, "format"), `storage format '${a.format}' is neither raw nor qcow2`);
      }
      if (a.allocation !== undefined && a.allocation !== "sparse" && a.allocation !== "preallocated") {
        warn(ctx, attrOffset(ctx, child, "allocation"), "allocation scheme must be sparse or preallocated");
      }
    } else if (tag === "network") {
      const mapping = parseNetwork(ctx, child, seenDefault);
      if (mapping.type === "default") seenDefault = true;
      networks.push(mapping);
    } else {
      warnUnknownElement(ctx, child, "<profile>");
    }
  }
  const label = name ?? "(unnamed)";
  if (method === undefined) warn(ctx, at, `Profile ${label} doesn't specify an output method.`);
  if (storage?.location === undefined) warn(ctx, at, `Profile ${label} doesn't specify output storage.`);
  return { name, method, storage, networks, at: pos(ctx, at) };
}

function parseNetwork(ctx: Ctx, node: OrderedNode, seenDefault: boolean): NetworkMapping {
  warnUnknownAttrs(ctx, node, ["type", "name"]);
  const a = attrsOf(ctx, node);
  const at = startOf(node);
  let target: NetworkTarget | undefined;
  for (const child of childrenOf(node)) {
    const tag = tagOf(child);
    if (tag === TEXT || tag === CDATA) continue;
    if (tag !== "network") {
      warnUnknownElement(ctx, child, "<network>");
      continue;
    }
    warnUnknownAttrs(ctx, child, ["type", "name"]);
    if (target) {
      warn(ctx, startOf(child), "a network mapping has one replacement; this extra <network> is ignored");
      continue;
    }
    const c = attrsOf(ctx, child);
    target = { type: c.type, name: c.name, at: pos(ctx, startOf(child)) };
    if (c.type === undefined || c.name === undefined) {
      warn(ctx, startOf(child), `Invalid network mapping in config: ${startTagText(ctx, child)}.`);
    } else if (c.type !== "network" && c.type !== "bridge") {
      warn(ctx, attrOffset(ctx, child, "type"), `Unknown interface type ${c.type} in network mapping: ${startTagText(ctx, child)}`);
    }
  }
  if (a.type === undefined) warn(ctx, at, "<network> mapping has no type attribute, so it never applies");
  else if (a.type === "default") {
    if (seenDefault) warn(ctx, at, "only the first default network mapping is used; this one is ignored");
    else if (!target) error(ctx, at, `Default network doesn't contain a mapping: ${startTagText(ctx, node)}.`);
  } else if (a.name === undefined) {
    warn(ctx, at, `<network type='${a.type}'> mapping has no name attribute, so it never applies`);
  }
  return { type: a.type, name: a.name, target, at: pos(ctx, at) };
}

// ---- helpers over fast-xml-parser's ordered tree ----

function tagOf(node: OrderedNode): string {
  // for-in rather than Object.keys: no array per call (this runs for every node).
  for (const key in node) if (key !== ATTRS) return key;
  return TEXT;
}

function childrenOf(node: OrderedNode): OrderedNode[] {
  const value = node[tagOf(node)];
  return Array.isArray(value) ? (value as OrderedNode[]) : [];
}

function attrsOf(ctx: Ctx, node: OrderedNode): Record<string, string | undefined> {
  const raw = node[ATTRS] as Record<string, unknown> | undefined;
  // No prototype: an attribute named __proto__ is just an (unknown) attribute.
  const out = Object.create(null) as Record<string, string | undefined>;
  if (!raw) return out;
  for (const key in raw) out[key] = decodeXmlText(String(raw[key]));
  return out;
}

/** Trimmed text content; undefined when there is none (virt-v2v's "no text node"). */
function textOf(ctx: Ctx, node: OrderedNode): string | undefined {
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

function startOf(node: OrderedNode): number {
  return nodeMeta(node).startIndex ?? 0;
}

function startTagText(ctx: Ctx, node: OrderedNode): string {
  const start = startOf(node);
  const end = ctx.text.indexOf(">", start);
  return ctx.text.slice(start, end === -1 ? undefined : end + 1).replace(/\s+/g, " ");
}

function attrOffset(ctx: Ctx, node: OrderedNode, attr: string): number {
  const start = startOf(node);
  const end = ctx.text.indexOf(">", start);
  const tag = ctx.text.slice(start, end === -1 ? undefined : end);
  const m = new RegExp(`\\s${attr}\\s*=`).exec(tag);
  return m ? start + m.index + 1 : start;
}

function warnUnknownAttrs(ctx: Ctx, node: OrderedNode, known: readonly string[]): void {
  const raw = node[ATTRS] as Record<string, unknown> | undefined;
  if (!raw) return;
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) {
      warn(ctx, attrOffset(ctx, node, key), `unknown attribute ${key} on <${tagOf(node)}> is ignored`);
    }
  }
}

function warnUnknownElement(ctx: Ctx, node: OrderedNode, parent: string): void {
  warn(ctx, startOf(node), `unknown element <${tagOf(node)}> in ${parent} is ignored`);
}

function pos(ctx: Ctx, offset: number): SourcePos {
  ctx.lines ??= new LineIndex(ctx.text);
  return ctx.lines.at(offset);
}

function issue(ctx: Ctx, offset: number, message: string): ConfigIssue {
  return { file: ctx.file, ...pos(ctx, offset), message };
}

function warn(ctx: Ctx, offset: number, message: string): void {
  ctx.warnings.push(issue(ctx, offset, message));
}

function error(ctx: Ctx, offset: number, message: string): void {
  ctx.errors.push(issue(ctx, offset, message));
}

function fail(ctx: Ctx, offset: number, message: string): never {
  throw new ConfigParseError([issue(ctx, offset, message)]);
}
