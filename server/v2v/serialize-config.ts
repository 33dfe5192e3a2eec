// Writes the model back as virt-v2v.conf text. parse(serialize(c)) gives c back (positions
// and warnings aside). Elements come out grouped (path-root, iso-path, profiles, networks,
// capabilities, apps), each group in its original order: the only order matching uses.
import type { App, Capability, ConfigFile, NetworkMapping, NetworkTarget, Profile } from "./model.ts";
import { ATTRS, TEXT, createConfigBuilder, escapeXmlAttr, escapeXmlText, type OrderedNode } from "./xml-options.ts";

type Attrs = Record<string, string | undefined>;

function element(tag: string, attrs: Attrs, children: OrderedNode[]): OrderedNode {
  const node: OrderedNode = { [tag]: children };
  const present: Record<string, string> = {};
  let any = false;
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    present[key] = escapeXmlAttr(value);
    any = true;
  }
  if (any) node[ATTRS] = present;
  return node;
}

function textElement(tag: string, text: string | undefined, attrs: Attrs = {}): OrderedNode {
  return element(tag, attrs, text === undefined ? [] : [{ [TEXT]: escapeXmlText(text) }]);
}

function matchAttrs(e: App | Capability): Attrs {
  return { os: e.os, distro: e.distro, major: e.major, minor: e.minor, arch: e.arch, name: e.name };
}

function targetNode(t: NetworkTarget): OrderedNode {
  return element("network", { type: t.type, name: t.name }, []);
}

function networkNode(m: NetworkMapping): OrderedNode {
  return element("network", { type: m.type, name: m.name }, m.target ? [targetNode(m.target)] : []);
}

function profileNode(p: Profile): OrderedNode {
  const children: OrderedNode[] = [];
  if (p.method !== undefined) children.push(textElement("method", p.method));
  if (p.storage) {
    children.push(
      textElement("storage", p.storage.location, { format: p.storage.format, allocation: p.storage.allocation }),
    );
  }
  for (const n of p.networks) children.push(networkNode(n));
  return element("profile", { name: p.name }, children);
}

function capabilityNode(c: Capability): OrderedNode {
  const deps = c.deps.map((d) =>
    element("dep", { name: d.name, minversion: d.minversion, ifinstalled: d.ifinstalled }, []),
  );
  return element("capability", matchAttrs(c), deps);
}

function appNode(a: App): OrderedNode {
  return element("app", matchAttrs(a), [
    textElement("path", a.path),
    ...a.deps.map((d) => textElement("dep", d)),
  ]);
}

export function serializeConfig(config: ConfigFile): string {
  const children: OrderedNode[] = [];
  if (config.pathRoot !== undefined) children.push(textElement("path-root", config.pathRoot));
  if (config.isoPath !== undefined) children.push(textElement("iso-path", config.isoPath));
  for (const p of config.profiles) children.push(profileNode(p));
  for (const n of config.networks) children.push(networkNode(n));
  for (const c of config.capabilities) children.push(capabilityNode(c));
  for (const a of config.apps) children.push(appNode(a));
  const body = createConfigBuilder().build([{ "virt-v2v": children }]) as string;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body.trim()}\n`;
}

/** The XML of one network mapping target, as virt-v2v quotes it in warnings. */
export function serializeNetworkTarget(target: NetworkTarget): string {
  return (createConfigBuilder().build([targetNode(target)]) as string).trim();
}

export function serializeNetworkMapping(mapping: NetworkMapping): string {
  return (createConfigBuilder().build([networkNode(mapping)]) as string).trim().replace(/\s*\n\s*/g, "");
}
