// One pass over a virt-v2v.conf text before fast-xml-parser sees it (the parser itself is
// lenient): well-formedness (tags, attributes, nesting, one root) and what an untrusted
// config must not contain (DOCTYPE/ENTITY declarations, references to undefined entities).
// Reports the first problem with its offset. About 10x faster than XMLValidator on 5 MB.

/** `forbidden`: allowed XML, refused here; `malformed`: not well-formed XML. */
export type XmlProblem = {
  offset: number;
  message: string;
  kind?: "forbidden";
  /** For a refused `<!WORD ...>` declaration: WORD (DOCTYPE, ENTITY...), so callers can reword it. */
  declaration?: string;
};

const NAME = "[A-Za-z_:\\u00C0-\\uFFFF][-\\w.:\\u00B7-\\uFFFF]*";
const TAG_NAME = new RegExp(NAME, "y");
const ATTRIBUTE = new RegExp(`(\\s+)(${NAME})\\s*=\\s*("[^"<]*"|'[^'<]*')`, "y");
const TAG_END = /\s*(\/?)>/y;
const CLOSE_TAG = new RegExp(`</(${NAME})\\s*>`, "y");
const REFERENCE = /&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_][\w.-]*);/y;
const PREDEFINED = new Set(["lt", "gt", "amp", "quot", "apos"]);
// Names the parser refuses outright (they could pollute object prototypes).
const RESERVED_NAMES = new Set(["__proto__", "constructor", "prototype"]);

function reservedName(name: string, offset: number): XmlProblem {
  return { offset, message: `'${name}' is not allowed as an element or attribute name`, kind: "forbidden" };
}

// XML 1.0's Char production: no C0 control but tab, newline and carriage return, no
// surrogates, no U+FFFE/U+FFFF.
function validCodePoint(n: number): boolean {
  if (!Number.isFinite(n) || n <= 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff) || n === 0xfffe || n === 0xffff) return false;
  return n >= 0x20 || n === 0x9 || n === 0xa || n === 0xd;
}

/**
 * Checks the `&...;` references in text[from, to). Calls come in increasing order, so the
 * next '&' is remembered: searching afresh each time would be quadratic on a big file.
 */
function referenceChecker(text: string): (from: number, to: number) => XmlProblem | undefined {
  let next = text.indexOf("&");
  return (from, to) => {
    if (next !== -1 && next < from) next = text.indexOf("&", from);
    while (next !== -1 && next < to) {
      const amp = next;
      next = text.indexOf("&", amp + 1);
      REFERENCE.lastIndex = amp;
      const m = REFERENCE.exec(text);
      if (!m || amp + m[0].length > to) return { offset: amp, message: "'&' must be written as &amp;" };
      const ref = m[1] ?? "";
      if (ref.startsWith("#")) {
        const n = ref.startsWith("#x") ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
        if (!validCodePoint(n)) return { offset: amp, message: `invalid character reference &${ref};` };
      } else if (!PREDEFINED.has(ref)) {
        return {
          offset: amp,
          message: `undefined entity &${ref}; (only &lt; &gt; &amp; &quot; &apos; are allowed)`,
          kind: "forbidden",
        };
      }
    }
    return undefined;
  };
}

type Open = { name: string; offset: number };

/**
 * `maxDepth`: how deep elements may nest (an explicit stack, so depth itself costs no call
 * stack here; the limit protects the tree built after this check and everything that walks it).
 */
export function checkXml(
  text: string,
  positionOf: (offset: number) => { line: number; column: number },
  maxDepth = Number.POSITIVE_INFINITY,
): XmlProblem | undefined {
  const checkReferences = referenceChecker(text);
  const stack: Open[] = [];
  let seenRoot = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;

  while (i < n) {
    const lt = text.indexOf("<", i);
    const textEnd = lt === -1 ? n : lt;
    if (textEnd > i) {
      if (stack.length === 0) {
        if (text.slice(i, textEnd).trim() !== "") {
          return { offset: i + text.slice(i, textEnd).search(/\S/), message: "text is not allowed outside the root element" };
        }
      } else {
        const problem = checkReferences(i, textEnd);
        if (problem) return problem;
      }
    }
    if (lt === -1) break;

    if (text.startsWith("<!--", lt)) {
      const end = text.indexOf("-->", lt + 4);
      if (end === -1) return { offset: lt, message: "unclosed comment" };
      i = end + 3;
      continue;
    }
    if (text.startsWith("<![CDATA[", lt)) {
      if (stack.length === 0) return { offset: lt, message: "CDATA is not allowed outside the root element" };
      const end = text.indexOf("]]>", lt + 9);
      if (end === -1) return { offset: lt, message: "unclosed CDATA section" };
      i = end + 3;
      continue;
    }
    if (text.startsWith("<?", lt)) {
      const end = text.indexOf("?>", lt + 2);
      if (end === -1) return { offset: lt, message: "unclosed processing instruction" };
      if (/^<\?xml[\s?]/i.test(text.slice(lt, lt + 6)) && text.slice(0, lt).replace(/^\uFEFF/, "") !== "") {
        return { offset: lt, message: "the XML declaration is allowed only at the start of the document" };
      }
      i = end + 2;
      continue;
    }
    if (text.startsWith("<!", lt)) {
      const word = /^<!([A-Za-z]+)/.exec(text.slice(lt, lt + 16))?.[1] ?? "";
      return {
        offset: lt,
        message:
          `<!${word}> declarations are not allowed in a virt-v2v configuration file ` +
          "(entities are never expanded in untrusted input)",
        kind: "forbidden",
        declaration: word,
      };
    }
    if (text.startsWith("</", lt)) {
      CLOSE_TAG.lastIndex = lt;
      const m = CLOSE_TAG.exec(text);
      if (!m) return { offset: lt, message: "malformed closing tag" };
      const name = m[1] ?? "";
      const open = stack.pop();
      if (!open) return { offset: lt, message: `closing tag '${name}' has no matching opening tag` };
      if (open.name !== name) {
        const at = positionOf(open.offset);
        return {
          offset: lt,
          message: `Expected closing tag '${open.name}' (opened in line ${at.line}, col ${at.column}) instead of closing tag '${name}'.`,
        };
      }
      i = lt + m[0].length;
      continue;
    }

    // A start tag: name, attributes, then > or />.
    TAG_NAME.lastIndex = lt + 1;
    const nameMatch = TAG_NAME.exec(text);
    if (!nameMatch) return { offset: lt, message: "'<' must start a tag (write &lt; in text)" };
    const name = nameMatch[0];
    if (RESERVED_NAMES.has(name)) return reservedName(name, lt + 1);
    if (stack.length === 0) {
      if (seenRoot) return { offset: lt, message: `a second root element <${name}>; a document has exactly one` };
      seenRoot = true;
    }
    let j = lt + 1 + name.length;
    const attrs: string[] = [];
    for (;;) {
      ATTRIBUTE.lastIndex = j;
      const a = ATTRIBUTE.exec(text);
      if (!a) break;
      const attrName = a[2] ?? "";
      const attrAt = j + (a[1] ?? "").length;
      if (RESERVED_NAMES.has(attrName)) return reservedName(attrName, attrAt);
      if (attrs.includes(attrName)) return { offset: attrAt, message: `attribute '${attrName}' is repeated` };
      attrs.push(attrName);
      const value = a[3] ?? "";
      const valueEnd = j + a[0].length;
      const problem = checkReferences(valueEnd - value.length, valueEnd);
      if (problem) return problem;
      j += a[0].length;
    }
    TAG_END.lastIndex = j;
    const end = TAG_END.exec(text);
    if (!end) {
      const at = j + (text.slice(j).search(/\S/) === -1 ? 0 : text.slice(j).search(/\S/));
      return { offset: at, message: `malformed attribute or unclosed start tag <${name}>` };
    }
    if (end[1] !== "/") {
      if (stack.length >= maxDepth) {
        return { offset: lt, message: `elements are nested more than ${maxDepth} deep (at <${name}>)`, kind: "forbidden" };
      }
      stack.push({ name, offset: lt });
    }
    i = j + end[0].length;
  }

  const unclosed = stack.pop();
  if (unclosed) return { offset: unclosed.offset, message: `unclosed tag <${unclosed.name}>` };
  if (!seenRoot) return { offset: 0, message: "no root element: a virt-v2v configuration is a <virt-v2v> element" };
  return undefined;
}
