// The one guard every XML text passes before fast-xml-parser sees it: a size cap, a depth cap
// and check-xml's pass (well-formedness, no DOCTYPE/ENTITY, no undefined entity). Each parser
// in the project (virt-v2v.conf, source domain XML, the plan's output XML, virt-inspector's
// output, libvirt pool XML, OVF) calls guardXml with its limits, so untrusted text is refused
// quickly, in bounded memory, and no entity is ever expanded or fetched.
import { checkXml, type XmlProblem } from "./check-xml.ts";

export type XmlLimits = {
  /** Largest text accepted, in characters (UTF-16 code units, what `string.length` counts). */
  maxChars: number;
  /** Deepest element nesting accepted. */
  maxDepth: number;
};

const MIB = 1024 * 1024;

// libxml2 (what libvirt and virt-v2v parse with) refuses nesting deeper than 256 by default
// (xmlParserMaxDepth), so nothing a real tool wrote goes deeper.
export const MAX_XML_DEPTH = 256;

/** virt-v2v.conf: the same cap as the console's import (a 5 MB file already has ~38,000 elements). */
export const CONFIG_XML_LIMITS: XmlLimits = { maxChars: 32 * MIB, maxDepth: MAX_XML_DEPTH };
/** Source domain XML (`virsh dumpxml`, -i libvirtxml): a few KB in practice. */
export const DOMAIN_XML_LIMITS: XmlLimits = { maxChars: 16 * MIB, maxDepth: MAX_XML_DEPTH };
/**
 * What a tool prints (virt-inspector lists every installed package: ~0.5 MB for 1,500) and the
 * plan's own XML. fast-xml-parser takes seconds per 10 MB, so the cap stays near real sizes.
 */
export const TOOL_XML_LIMITS: XmlLimits = { maxChars: 16 * MIB, maxDepth: MAX_XML_DEPTH };

function sizeText(chars: number): string {
  return chars >= MIB ? `${(chars / MIB).toFixed(chars % MIB === 0 ? 0 : 1)} MiB` : `${chars} characters`;
}

/** The first problem of `text` under `limits`, or undefined when it may be parsed. */
export function guardXml(
  text: string,
  limits: XmlLimits,
  positionOf: (offset: number) => { line: number; column: number },
): XmlProblem | undefined {
  if (text.length > limits.maxChars) {
    return {
      offset: 0,
      message: `the document is too large: ${text.length} characters (${sizeText(text.length)}), at most ${sizeText(limits.maxChars)}`,
      kind: "forbidden",
    };
  }
  // Characters XML 1.0 does not allow anywhere (a terminal escape, a NUL): one regex pass.
  const bad = FORBIDDEN_CHAR.exec(text);
  if (bad) {
    const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
    return { offset: bad.index, message: `the control character U+${code} is not allowed in XML` };
  }
  return checkXml(text, positionOf, limits.maxDepth);
}

const FORBIDDEN_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
