// <profile> and <network> elements of virt-v2v.conf (the same <network> mapping appears at the
// top level and inside profiles).
import type { NetworkMapping, NetworkTarget, Profile, Storage } from "./model.ts";
import {
  attrOffset,
  attrsOf,
  childrenOf,
  error,
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
import { CDATA, TEXT, type OrderedNode } from "./xml-options.ts";

export function parseProfile(ctx: Ctx, node: OrderedNode, earlier: Profile[]): Profile {
  warnUnknownAttrs(ctx, node, ["name"]);
  const name = attrsOf(node).name;
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
      else method = textOf(child);
      methodSeen = true;
    } else if (tag === "storage") {
      warnUnknownAttrs(ctx, child, ["format", "allocation"]);
      if (storage) {
        warn(ctx, startOf(child), "<profile> has more than one <storage>; the first one is used");
        continue;
      }
      const a = attrsOf(child);
      storage = { location: textOf(child), format: a.format, allocation: a.allocation, at: pos(ctx, startOf(child)) };
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

export function parseNetwork(ctx: Ctx, node: OrderedNode, seenDefault: boolean): NetworkMapping {
  warnUnknownAttrs(ctx, node, ["type", "name"]);
  const a = attrsOf(node);
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
    const c = attrsOf(child);
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
