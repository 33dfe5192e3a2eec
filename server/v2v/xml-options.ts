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

export type ScanProblem = { offset: number; message: string };

/**
 * Finds what fast-xml-parser would let through but a virt-v2v.conf must not contain:
 * DOCTYPE/ENTITY declarations and references to entities other than the predefined five.
 * Comments, CDATA sections and processing instructions are skipped.
 */
export function scanForbiddenMarkup(text: string): ScanProblem | undefined {
  let i = 0;
  // Cached next positions: re-searching on every step would be quadratic on big files.
  let amp = text.indexOf("&");
  let lt = text.indexOf("<");
  while (true) {
    if (amp !== -1 && amp < i) amp = text.indexOf("&", i);
    if (lt !== -1 && lt < i) lt = text.indexOf("<", i);
    if (amp !== -1 && (lt === -1 || amp < lt)) {
      const problem = checkReference(text, amp);
      if (problem) return problem;
      i = amp + 1;
      continue;
    }
    if (lt === -1) return undefined;
    let end: number;
    if (text.startsWith("<!--", lt)) {
      end = text.indexOf("-->", lt + 4);
      if (end === -1) return undefined;
      i = end + 3;
    } else if (text.startsWith("<![CDATA[", lt)) {
      end = text.indexOf("]]>", lt + 9);
      if (end === -1) return undefined;
      i = end + 3;
    } else if (text.startsWith("<?", lt)) {
      end = text.indexOf("?>", lt + 2);
      if (end === -1) return undefined;
      i = end + 2;
    } else if (text.startsWith("<!", lt)) {
      const word = /^<!([A-Za-z]+)/.exec(text.slice(lt, lt + 16))?.[1] ?? "";
      return {
        offset: lt,
        message:
          `<!${word}> declarations are not allowed in a virt-v2v configuration file ` +
          "(entities are never expanded in untrusted input)",
      };
    } else {
      i = lt + 1;
    }
  }
}

function checkReference(text: string, amp: number): ScanProblem | undefined {
  const m = /^&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_][\w.-]*);/.exec(text.slice(amp, amp + 40));
  if (!m) return { offset: amp, message: "'&' must be written as &amp;" };
  const ref = m[1] ?? "";
  if (ref.startsWith("#")) {
    const value = ref.startsWith("#x") ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
    if (safeCodePoint(value) === undefined) return { offset: amp, message: `invalid character reference &${ref};` };
    return undefined;
  }
  if (PREDEFINED[ref] === undefined) {
    return { offset: amp, message: `undefined entity &${ref}; (only &lt; &gt; &amp; &quot; &apos; are allowed)` };
  }
  return undefined;
}
