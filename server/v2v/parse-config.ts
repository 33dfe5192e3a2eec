// Parses one virt-v2v.conf text into the model, with every error and warning placed at
// file:line:column. Errors are collected and thrown together as one ConfigParseError.
import { ConfigParseError } from "./errors.ts";
import { emptyConfig, type App, type Capability, type CapabilityDep, type ConfigFile, type MatchAttrs } from "./model.ts";
import { CONFIG_XML_LIMITS, guardXml } from "./xml-guard.ts";
import {
  attrOffset,
  attrsOf,
  childrenOf,
  createCtx,
  error,
  fail,
  pos,
  startOf,
  startTagText,
  tagOf,
  textOf,
  warn,
  warnUnknownAttrs,
  warnUnknownElement,
  type Ctx,
} from "./parse-context.ts";
import { parseNetwork, parseProfile } from "./parse-profile.ts";
import { isValidEvr } from "./rpm-version.ts";
import { CDATA, TEXT, createConfigParser, type OrderedNode } from "./xml-options.ts";

const MATCH_ATTRS = ["name", "os", "distro", "major", "minor", "arch"] as const;

export function parseConfig(text: string, file: string): ConfigFile {
  const ctx = createCtx(text, file);

  const problem = guardXml(text, CONFIG_XML_LIMITS, (offset) => pos(ctx, offset));
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

  const config: ConfigFile = { ...emptyConfig(file), warnings: ctx.warnings };
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
        const value = textOf(node);
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
  const a = attrsOf(node);
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
    const a = attrsOf(child);
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
      path = textOf(child);
    } else if (tag === "dep") {
      warnUnknownAttrs(ctx, child, []);
      const name = textOf(child);
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
