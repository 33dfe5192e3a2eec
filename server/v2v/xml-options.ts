// The one set of fast-xml-parser options for reading and writing virt-v2v.conf, plus the
// small text helpers both directions need. Entities are never expanded (untrusted input):
// the parser leaves text raw and decodeXmlText handles only XML's five predefined entities
// and character references; DOCTYPE/ENTITY declarations are refused before parsing.
import { XMLBuilder, XMLParser } from "fast-xml-parser";

export const ATTRS = ":@";
export const TEXT = "#text";
export const CDATA = "#cdata";

/** An element as fast-xml-parser's preserveOrder mode represents it. */
export type OrderedNode = { [tag: string]: unknown };

export const xmlParserOptions = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  attributesGroupName: false,
  allowBooleanAttributes: false,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  // Attribute values are kept as written (XML does not trim them); element text is trimmed
  // by the parser module, as virt-v2v trims it.
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: CDATA,
  captureMetaData: true,
  // No callbacks use it: skip building a path string for every tag.
  jPath: false,
} as const;

export const xmlBuilderOptions = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  processEntities: false,
  format: true,
  indentBy: "  ",
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
} as const;

export function createConfigParser(): XMLParser {
  return new XMLParser(xmlParserOptions);
}

export function createConfigBuilder(): XMLBuilder {
  return new XMLBuilder(xmlBuilderOptions);
}

export const METADATA: symbol = XMLParser.getMetaDataSymbol() as symbol;

export type NodeMeta = { startIndex?: number; endIndex?: number };

export function nodeMeta(node: OrderedNode): NodeMeta {
  const meta = (node as Record<symbol, unknown>)[METADATA];
  return (meta ?? {}) as NodeMeta;
}

const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Decodes predefined entities and character references; leaves anything else as written. */
export function decodeXmlText(raw: string): string {
  if (!raw.includes("&")) return raw;
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_][\w.-]*);/g, (whole, ref: string) => {
    if (ref.startsWith("#x")) return safeCodePoint(Number.parseInt(ref.slice(2), 16)) ?? whole;
    if (ref.startsWith("#")) return safeCodePoint(Number.parseInt(ref.slice(1), 10)) ?? whole;
    return PREDEFINED[ref] ?? whole;
  });
}

function safeCodePoint(n: number): string | undefined {
  if (!Number.isFinite(n) || n <= 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return undefined;
  return String.fromCodePoint(n);
}

export function escapeXmlText(text: string): string {
  return text.replace(/[&<>\r]/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&#13;",
  );
}

export function escapeXmlAttr(text: string): string {
  return text.replace(/[&<>"\n\r\t]/g, (c) => {
    switch (c) {
      case "&":
        return "&amp;";
      case "<":
        return "&lt;";
      case ">":
        return "&gt;";
      case '"':
        return "&quot;";
      case "\n":
        return "&#10;";
      case "\r":
        return "&#13;";
      default:
        return "&#9;";
    }
  });
}

/** Maps string offsets to 1-based line and column (UTF-16 code units, like editors' JS). */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }
  at(offset: number): { line: number; column: number } {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
  }
}
