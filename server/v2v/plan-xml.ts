// A tiny XML writer for the documents the planner produces (domain XML, OVF): elements in
// the order given, attributes double-quoted and escaped, two-space indentation.
import { escapeXmlAttr, escapeXmlText } from "./xml-options.ts";

export type XmlAttrs = Record<string, string | number | undefined>;

/** An element: tag, attributes (undefined ones are left out), then text or child elements. */
export type XmlNode = { tag: string; attrs?: XmlAttrs; text?: string | number; children?: XmlNode[] };

export function el(tag: string, attrs?: XmlAttrs, content?: string | number | XmlNode[]): XmlNode {
  if (Array.isArray(content)) return { tag, attrs, children: content };
  return content === undefined ? { tag, attrs } : { tag, attrs, text: content };
}

function attrText(attrs: XmlAttrs | undefined): string {
  if (!attrs) return "";
  return Object.entries(attrs)
    .flatMap(([k, v]) => (v === undefined ? [] : [` ${k}="${escapeXmlAttr(String(v))}"`]))
    .join("");
}

export function renderXml(node: XmlNode, indent = ""): string {
  const open = `${indent}<${node.tag}${attrText(node.attrs)}`;
  if (node.text !== undefined) return `${open}>${escapeXmlText(String(node.text))}</${node.tag}>\n`;
  if (!node.children || node.children.length === 0) return `${open}/>\n`;
  const inner = node.children.map((c) => renderXml(c, `${indent}  `)).join("");
  return `${open}>\n${inner}${indent}</${node.tag}>\n`;
}
