// rpm's version rules: rpmvercmp (tilde and caret included) and [epoch:]version[-release]
// parsing and comparison, as modern rpm does them (reference §5). Pure: no imports.

export type Evr = { epoch: string | null; version: string; release: string | null };

export class RpmVersionError extends Error {
  readonly value: string;

  constructor(value: string, problem: string) {
    super(
      `Invalid version ${JSON.stringify(value)}: ${problem}; expected [epoch:]version[-release]`,
    );
    this.name = "RpmVersionError";
    this.value = value;
  }
}

type Sign = -1 | 0 | 1;

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
// ASCII only, like rpm's risalpha: any other character (non-ASCII included) is a separator.
const isAlpha = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const TILDE = 0x7e;
const CARET = 0x5e;
const END = -1;

function at(s: string, i: number): number {
  return i < s.length ? s.charCodeAt(i) : END;
}

function isSeparator(c: number): boolean {
  return c !== END && !isDigit(c) && !isAlpha(c) && c !== TILDE && c !== CARET;
}

function runEnd(s: string, from: number, numeric: boolean): number {
  let i = from;
  while (i < s.length && (numeric ? isDigit(s.charCodeAt(i)) : isAlpha(s.charCodeAt(i)))) i++;
  return i;
}

function compareStrings(a: string, b: string): Sign {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * rpm's segment comparison. Per position the order is
 * `~` < end of string < `^` < letters < digits; digit runs compare as numbers
 * (leading zeros ignored), letter runs as ASCII strings; separators only delimit.
 */
export function rpmvercmp(a: string, b: string): Sign {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (isSeparator(at(a, i))) i++;
    while (isSeparator(at(b, j))) j++;
    const ca = at(a, i);
    const cb = at(b, j);

    if (ca === TILDE || cb === TILDE) {
      if (ca !== TILDE) return 1;
      if (cb !== TILDE) return -1;
      i++;
      j++;
      continue;
    }
    // A caret sorts after the end of a string but before any further segment.
    if (ca === CARET || cb === CARET) {
      if (ca === END) return -1;
      if (cb === END) return 1;
      if (ca !== CARET) return 1;
      if (cb !== CARET) return -1;
      i++;
      j++;
      continue;
    }
    if (ca === END || cb === END) break;

    const numeric = isDigit(ca);
    const ia = runEnd(a, i, numeric);
    const jb = runEnd(b, j, numeric);
    // Different segment types: the numeric one is newer.
    if (jb === j) return numeric ? 1 : -1;

    let sa = a.slice(i, ia);
    let sb = b.slice(j, jb);
    if (numeric) {
      sa = sa.replace(/^0+/, "");
      sb = sb.replace(/^0+/, "");
      if (sa.length !== sb.length) return sa.length > sb.length ? 1 : -1;
    }
    const rc = compareStrings(sa, sb);
    if (rc !== 0) return rc;
    i = ia;
    j = jb;
  }
  const restA = i < a.length;
  const restB = j < b.length;
  if (restA === restB) return 0;
  return restA ? 1 : -1;
}

const WHITESPACE = /\s/;
const DIGITS = /^[0-9]+$/;

/**
 * Parses `[epoch:]version[-release]` with rpm's rules: the epoch is the leading digits
 * before a `:` (an empty epoch, as in `:1.0`, is rpm's "0"), the release is what follows
 * the last `-`. Throws RpmVersionError for anything else.
 */
export function parseEvr(text: string): Evr {
  if (text.length === 0) throw new RpmVersionError(text, "it is empty");
  if (WHITESPACE.test(text)) throw new RpmVersionError(text, "it contains whitespace");
  // rpm refuses these in a version (rpmbuild: "Illegal char"); here they could also reach a terminal.
  if (/[\u0000-\u001f\u007f-\u009f]/.test(text)) throw new RpmVersionError(text, "it contains a control character");

  let epoch: string | null = null;
  let rest = text;
  const colon = text.indexOf(":");
  if (colon >= 0) {
    const head = text.slice(0, colon);
    if (head !== "" && !DIGITS.test(head)) {
      throw new RpmVersionError(text, `epoch ${JSON.stringify(head)} is not a number`);
    }
    epoch = head === "" ? "0" : head;
    rest = text.slice(colon + 1);
    if (rest.includes(":")) throw new RpmVersionError(text, "it contains more than one ':'");
  }

  let version = rest;
  let release: string | null = null;
  const dash = rest.lastIndexOf("-");
  if (dash >= 0) {
    version = rest.slice(0, dash);
    release = rest.slice(dash + 1);
    if (release === "") throw new RpmVersionError(text, "the release after '-' is empty");
  }
  if (version === "") throw new RpmVersionError(text, "the version is empty");
  return { epoch, version, release };
}

export function isValidEvr(text: string): boolean {
  try {
    parseEvr(text);
    return true;
  } catch (error) {
    if (error instanceof RpmVersionError) return false;
    throw error;
  }
}

/**
 * rpm's EVR order: epoch (missing = "0", compared numerically), then version, then
 * release, where a missing release sorts below any present one.
 */
export function compareEvr(a: Evr, b: Evr): Sign {
  const byEpoch = rpmvercmp(a.epoch ?? "0", b.epoch ?? "0");
  if (byEpoch !== 0) return byEpoch;
  const byVersion = rpmvercmp(a.version, b.version);
  if (byVersion !== 0) return byVersion;
  if (a.release !== null && b.release !== null) return rpmvercmp(a.release, b.release);
  if (a.release === b.release) return 0;
  return a.release === null ? -1 : 1;
}

export function compareEvrStrings(a: string, b: string): Sign {
  return compareEvr(parseEvr(a), parseEvr(b));
}

/**
 * The inverse of parseEvr: parseEvr(formatEvr(e)) gives e back. Throws RpmVersionError for
 * an Evr no string can express (e.g. a version containing '-' without a release).
 */
export function formatEvr(evr: Evr): string {
  const text =
    (evr.epoch === null ? "" : `${evr.epoch}:`) +
    evr.version +
    (evr.release === null ? "" : `-${evr.release}`);
  const problem = formatProblem(evr);
  if (problem !== null) throw new RpmVersionError(text, problem);
  return text;
}

function formatProblem(evr: Evr): string | null {
  if (evr.epoch !== null && !DIGITS.test(evr.epoch)) {
    return `epoch ${JSON.stringify(evr.epoch)} is not a number`;
  }
  if (evr.version === "") return "the version is empty";
  if (evr.version.includes(":")) return "the version contains ':'";
  if (evr.release === null && evr.version.includes("-")) {
    return "the version contains '-' but there is no release";
  }
  if (evr.release !== null && (evr.release === "" || /[-:]/.test(evr.release))) {
    return "the release is empty or contains '-' or ':'";
  }
  if (WHITESPACE.test(evr.version) || WHITESPACE.test(evr.release ?? "")) {
    return "it contains whitespace";
  }
  return null;
}
