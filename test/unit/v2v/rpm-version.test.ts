import { describe, expect, test } from "vitest";
import fc from "fast-check";
import {
  compareEvr,
  compareEvrStrings,
  formatEvr,
  isValidEvr,
  parseEvr,
  rpmvercmp,
  RpmVersionError,
  type Evr,
} from "../../../server/v2v/rpm-version.ts";

type Vector = readonly [a: string, b: string, expected: -1 | 0 | 1];

// Every RPMVERCMP case of rpm's tests/rpmvercmp.at (rpm-software-management/rpm, the revision
// with the caret tests, commit 7f3fdf6), in the file's order.
const RPMVERCMP_AT: readonly Vector[] = [
  // basic
  ["1.0", "1.0", 0],
  ["1.0", "2.0", -1],
  ["2.0", "1.0", 1],
  ["2.0.1", "2.0.1", 0],
  ["2.0", "2.0.1", -1],
  ["2.0.1", "2.0", 1],
  ["2.0.1a", "2.0.1a", 0],
  ["2.0.1a", "2.0.1", 1],
  ["2.0.1", "2.0.1a", -1],
  ["5.5p1", "5.5p1", 0],
  ["5.5p1", "5.5p2", -1],
  ["5.5p2", "5.5p1", 1],
  ["5.5p10", "5.5p10", 0],
  ["5.5p1", "5.5p10", -1],
  ["5.5p10", "5.5p1", 1],
  ["10xyz", "10.1xyz", -1],
  ["10.1xyz", "10xyz", 1],
  ["xyz10", "xyz10", 0],
  ["xyz10", "xyz10.1", -1],
  ["xyz10.1", "xyz10", 1],
  ["xyz.4", "xyz.4", 0],
  ["xyz.4", "8", -1],
  ["8", "xyz.4", 1],
  ["xyz.4", "2", -1],
  ["2", "xyz.4", 1],
  ["5.5p2", "5.6p1", -1],
  ["5.6p1", "5.5p2", 1],
  ["5.6p1", "6.5p1", -1],
  ["6.5p1", "5.6p1", 1],
  ["6.0.rc1", "6.0", 1],
  ["6.0", "6.0.rc1", -1],
  ["10b2", "10a1", 1],
  ["10a2", "10b2", -1],
  ["1.0aa", "1.0aa", 0],
  ["1.0a", "1.0aa", -1],
  ["1.0aa", "1.0a", 1],
  ["10.0001", "10.0001", 0],
  ["10.0001", "10.1", 0],
  ["10.1", "10.0001", 0],
  ["10.0001", "10.0039", -1],
  ["10.0039", "10.0001", 1],
  ["4.999.9", "5.0", -1],
  ["5.0", "4.999.9", 1],
  ["20101121", "20101121", 0],
  ["20101121", "20101122", -1],
  ["20101122", "20101121", 1],
  ["2_0", "2_0", 0],
  ["2.0", "2_0", 0],
  ["2_0", "2.0", 0],
  // RhBug:178798: separators only delimit
  ["a", "a", 0],
  ["a+", "a+", 0],
  ["a+", "a_", 0],
  ["a_", "a+", 0],
  ["+a", "+a", 0],
  ["+a", "_a", 0],
  ["_a", "+a", 0],
  ["+_", "+_", 0],
  ["_+", "+_", 0],
  ["_+", "_+", 0],
  ["+", "_", 0],
  ["_", "+", 0],
  // tilde
  ["1.0~rc1", "1.0~rc1", 0],
  ["1.0~rc1", "1.0", -1],
  ["1.0", "1.0~rc1", 1],
  ["1.0~rc1", "1.0~rc2", -1],
  ["1.0~rc2", "1.0~rc1", 1],
  ["1.0~rc1~git123", "1.0~rc1~git123", 0],
  ["1.0~rc1~git123", "1.0~rc1", -1],
  ["1.0~rc1", "1.0~rc1~git123", 1],
  // caret
  ["1.0^", "1.0^", 0],
  ["1.0^", "1.0", 1],
  ["1.0", "1.0^", -1],
  ["1.0^git1", "1.0^git1", 0],
  ["1.0^git1", "1.0", 1],
  ["1.0", "1.0^git1", -1],
  ["1.0^git1", "1.0^git2", -1],
  ["1.0^git2", "1.0^git1", 1],
  ["1.0^git1", "1.01", -1],
  ["1.01", "1.0^git1", 1],
  ["1.0^20160101", "1.0^20160101", 0],
  ["1.0^20160101", "1.0.1", -1],
  ["1.0.1", "1.0^20160101", 1],
  ["1.0^20160101^git1", "1.0^20160101^git1", 0],
  ["1.0^20160102", "1.0^20160101^git1", 1],
  ["1.0^20160101^git1", "1.0^20160102", -1],
  // tilde and caret together
  ["1.0~rc1^git1", "1.0~rc1^git1", 0],
  ["1.0~rc1^git1", "1.0~rc1", 1],
  ["1.0~rc1", "1.0~rc1^git1", -1],
  ["1.0^git1~pre", "1.0^git1~pre", 0],
  ["1.0^git1", "1.0^git1~pre", 1],
  ["1.0^git1~pre", "1.0^git1", -1],
];

// Cases the same file keeps commented out ("current, arguably buggy behaviors"): rpm still
// behaves this way, and so must we.
const RPMVERCMP_AT_ODDITIES: readonly Vector[] = [
  // RhBug:811992
  ["1b.fc17", "1b.fc17", 0],
  ["1b.fc17", "1.fc17", -1],
  ["1.fc17", "1b.fc17", 1],
  ["1g.fc17", "1g.fc17", 0],
  ["1g.fc17", "1.fc17", 1],
  ["1.fc17", "1g.fc17", -1],
  // non-ASCII characters are separators, so these all compare equal
  ["1.1.α", "1.1.α", 0],
  ["1.1.α", "1.1.β", 0],
  ["1.1.β", "1.1.α", 0],
  ["1.1.αα", "1.1.α", 0],
  ["1.1.α", "1.1.ββ", 0],
  ["1.1.ββ", "1.1.αα", 0],
];

describe("rpmvercmp: rpm's own test vectors", () => {
  test("the table holds all 91 cases of rpmvercmp.at", () => {
    expect(RPMVERCMP_AT).toHaveLength(91);
  });

  test.each(RPMVERCMP_AT)("rpmvercmp(%j, %j) = %i", (a, b, expected) => {
    expect(rpmvercmp(a, b)).toBe(expected);
  });

  test.each(RPMVERCMP_AT_ODDITIES)("oddity: rpmvercmp(%j, %j) = %i", (a, b, expected) => {
    expect(rpmvercmp(a, b)).toBe(expected);
  });
});

describe("rpmvercmp: rules of reference §5.2 not covered above", () => {
  const cases: readonly Vector[] = [
    ["", "", 0],
    ["", "1", -1],
    ["~", "", -1],
    ["", "^", -1],
    ["1.0~rc1", "1.0^", -1],
    ["1.0^", "1.0a", -1],
    ["1.0a", "1.0.1", -1],
    ["1.0.", "1.0", 0],
    ["Z", "a", -1],
    ["1.0+git", "1.0_git", 0],
    ["99999999999999999999999", "99999999999999999999998", 1],
    ["0000000000000000000001", "1", 0],
    // Perl virt-v2v treated ~ as a separator, so it ranked 1.0~rc1 above 1.0; rpm does not.
    ["1.0~rc1", "1.0", -1],
  ];
  test.each(cases)("rpmvercmp(%j, %j) = %i", (a, b, expected) => {
    expect(rpmvercmp(a, b)).toBe(expected);
  });
});

describe("compareEvr: EVR examples of reference §5.3", () => {
  const cases: readonly Vector[] = [
    ["1:1.0-1", "2.0-1", 1],
    ["0:1.0-1", "1.0-1", 0],
    ["1.0", "1.0-1", -1],
    ["2.6.18-128.el5", "2.6.18-92.el5", 1],
    ["2.6.18-128.el5", "2.6.18-128.1.1.el5", -1],
    ["2.6.9-89.EL", "2.6.9-89.0.3.EL", -1],
    // and a few more from the vendor database's minversions
    ["2.02.40-6.el5", "2.02.32-4.el5", 1],
    ["2.4.6-203.el5", "2.4.6-203.el5", 0],
    ["2.6.16.60-0.85.1", "2.6.16.60-0.54.5", 1],
    ["10:1.0", "9:2.0", 1],
    ["01:1.0", "1:1.0", 0],
    [":1.0", "0:1.0", 0],
    ["1.0~rc1-1", "1.0-1", -1],
  ];
  test.each(cases)("compareEvrStrings(%j, %j) = %i", (a, b, expected) => {
    expect(compareEvrStrings(a, b)).toBe(expected);
    expect(compareEvrStrings(b, a)).toBe(expected === 0 ? 0 : -expected);
  });

  test("both releases missing compare equal; missing sorts below an empty-looking one", () => {
    const bare: Evr = { epoch: null, version: "1", release: null };
    expect(compareEvr(bare, { ...bare, epoch: "0" })).toBe(0);
    expect(compareEvr(bare, { ...bare, release: "~" })).toBe(-1);
  });
});

describe("parseEvr", () => {
  const valid: ReadonlyArray<readonly [string, Evr]> = [
    ["1.0", { epoch: null, version: "1.0", release: null }],
    ["1.0-1", { epoch: null, version: "1.0", release: "1" }],
    ["2:1.0-1.el5", { epoch: "2", version: "1.0", release: "1.el5" }],
    ["0:2.6.18-128.el5", { epoch: "0", version: "2.6.18", release: "128.el5" }],
    ["56-8.el5", { epoch: null, version: "56", release: "8.el5" }],
    ["2.6.16.60-0.85.1", { epoch: null, version: "2.6.16.60", release: "0.85.1" }],
    ["1.0~rc1^git2-0.1", { epoch: null, version: "1.0~rc1^git2", release: "0.1" }],
    // rpm splits at the LAST '-' (Perl virt-v2v used the first)
    ["1.0-2-3", { epoch: null, version: "1.0-2", release: "3" }],
    // rpm reads an empty epoch as 0
    [":1.0", { epoch: "0", version: "1.0", release: null }],
    ["007:1", { epoch: "007", version: "1", release: null }],
  ];
  test.each(valid)("parseEvr(%j)", (text, evr) => {
    expect(parseEvr(text)).toEqual(evr);
    expect(isValidEvr(text)).toBe(true);
  });

  const invalid: ReadonlyArray<readonly [string, RegExp]> = [
    ["", /is empty/],
    [" ", /whitespace/],
    [" 1.0", /whitespace/],
    ["1.0\n", /whitespace/],
    ["1.0 -1", /whitespace/],
    ["-1", /version is empty/],
    ["1:", /version is empty/],
    [":", /version is empty/],
    ["1:-2", /version is empty/],
    ["a:1.0", /epoch "a" is not a number/],
    ["1a:1.0", /epoch "1a" is not a number/],
    ["-1:1.0", /epoch "-1" is not a number/],
    ["1:2:3", /more than one ':'/],
    ["1.0-", /release after '-' is empty/],
    ["1.0-1-", /release after '-' is empty/],
  ];
  test.each(invalid)("parseEvr(%j) throws RpmVersionError", (text, message) => {
    expect(isValidEvr(text)).toBe(false);
    let caught: unknown;
    try {
      parseEvr(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RpmVersionError);
    const error = caught as RpmVersionError;
    expect(error.value).toBe(text);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(JSON.stringify(text));
  });

  test("compareEvrStrings rejects what parseEvr rejects", () => {
    expect(() => compareEvrStrings("1.0-", "1.0")).toThrow(RpmVersionError);
  });
});

describe("formatEvr", () => {
  test.each(["1.0", "1.0-1", "2:1.0-1.el5", "0:2.6.18-128.el5", "1.0-2-3", "1.0~rc1^git2-0.1"])(
    "formatEvr(parseEvr(%j)) gives the text back",
    (text) => {
      expect(formatEvr(parseEvr(text))).toBe(text);
    },
  );

  const unrepresentable: readonly Evr[] = [
    { epoch: "x", version: "1", release: null },
    { epoch: "", version: "1", release: null },
    { epoch: null, version: "", release: null },
    { epoch: null, version: "1:2", release: null },
    { epoch: null, version: "1-2", release: null },
    { epoch: null, version: "1", release: "" },
    { epoch: null, version: "1", release: "2-3" },
    { epoch: null, version: "1 2", release: null },
  ];
  test.each(unrepresentable)("formatEvr(%j) throws RpmVersionError", (evr) => {
    expect(() => formatEvr(evr)).toThrow(RpmVersionError);
  });
});

// ---- properties --------------------------------------------------------------------------

// An independent model of §5.2: split into tokens (~, ^, digit runs, letter runs; everything
// else separates) and compare token lists lexicographically with ~ < end < ^ < letters < digits.
const RANK = { tilde: 0, end: 1, caret: 2, alpha: 3, num: 4 } as const;
type Token = { rank: number; text: string };

function tokens(s: string): Token[] {
  return [...s.matchAll(/~|\^|[0-9]+|[A-Za-z]+/g)].map(([t]) => {
    if (t === "~") return { rank: RANK.tilde, text: t };
    if (t === "^") return { rank: RANK.caret, text: t };
    if (/[0-9]/.test(t)) return { rank: RANK.num, text: t.replace(/^0+/, "") };
    return { rank: RANK.alpha, text: t };
  });
}

function modelCmp(a: string, b: string): -1 | 0 | 1 {
  const ta = tokens(a);
  const tb = tokens(b);
  const end: Token = { rank: RANK.end, text: "" };
  for (let i = 0; ; i++) {
    const x = ta[i] ?? end;
    const y = tb[i] ?? end;
    if (x.rank === RANK.end && y.rank === RANK.end) return 0;
    if (x.rank !== y.rank) return x.rank < y.rank ? -1 : 1;
    if (x.rank === RANK.num && x.text.length !== y.text.length) {
      return x.text.length < y.text.length ? -1 : 1;
    }
    if (x.text !== y.text) return x.text < y.text ? -1 : 1;
  }
}

// Small alphabets so that generated strings often share prefixes and tie.
const versionChar = fc.constantFrom(..."0129abZ._+~^é");
const versionString = fc.string({ unit: versionChar, maxLength: 8 });
const segmentString = fc.string({ unit: versionChar, minLength: 1, maxLength: 6 });
const evrArb: fc.Arbitrary<Evr> = fc.record({
  epoch: fc.option(
    fc.string({ unit: fc.constantFrom("0", "1", "2"), minLength: 1, maxLength: 3 }),
    { nil: null },
  ),
  version: segmentString,
  release: fc.option(segmentString, { nil: null }),
});

const RUNS = { numRuns: 2000 };

function checkTotalOrder<T>(arb: fc.Arbitrary<T>, cmp: (a: T, b: T) => -1 | 0 | 1): void {
  fc.assert(fc.property(arb, (a) => cmp(a, a) === 0), RUNS);
  fc.assert(fc.property(arb, arb, (a, b) => cmp(a, b) === -cmp(b, a)), RUNS);
  fc.assert(
    fc.property(arb, arb, arb, (a, b, c) => {
      if (cmp(a, b) <= 0 && cmp(b, c) <= 0) expect(cmp(a, c)).toBeLessThanOrEqual(0);
      if (cmp(a, b) === 0 && cmp(b, c) === 0) expect(cmp(a, c)).toBe(0);
    }),
    RUNS,
  );
  // Sorting with a non-transitive comparator leaves some pair out of order.
  fc.assert(
    fc.property(fc.array(arb, { maxLength: 25 }), (items) => {
      const sorted = [...items].sort(cmp);
      for (let i = 0; i < sorted.length; i++) {
        for (let j = i + 1; j < sorted.length; j++) {
          expect(cmp(sorted[i] as T, sorted[j] as T)).toBeLessThanOrEqual(0);
        }
      }
    }),
    { numRuns: 500 },
  );
}

describe("properties", () => {
  test("rpmvercmp agrees with the token model of §5.2", () => {
    fc.assert(
      fc.property(versionString, versionString, (a, b) => rpmvercmp(a, b) === modelCmp(a, b)),
      { numRuns: 5000 },
    );
  });

  test("the token model agrees with rpm's own vectors", () => {
    for (const [a, b, expected] of [...RPMVERCMP_AT, ...RPMVERCMP_AT_ODDITIES]) {
      expect(modelCmp(a, b)).toBe(expected);
    }
  });

  test("rpmvercmp is a total order over strings with ~ and ^", () => {
    checkTotalOrder(versionString, rpmvercmp);
  });

  test("compareEvr is a total order", () => {
    checkTotalOrder(evrArb, compareEvr);
  });

  test("compareEvr ignores a missing vs explicit zero epoch", () => {
    fc.assert(
      fc.property(evrArb, (e) => compareEvr({ ...e, epoch: null }, { ...e, epoch: "0" }) === 0),
      RUNS,
    );
  });

  test("parseEvr(formatEvr(evr)) is evr", () => {
    fc.assert(
      fc.property(evrArb, (evr) => {
        expect(parseEvr(formatEvr(evr))).toEqual(evr);
      }),
      RUNS,
    );
  });

  test("compareEvrStrings equals compareEvr of the parsed values", () => {
    fc.assert(
      fc.property(evrArb, evrArb, (a, b) => {
        expect(compareEvrStrings(formatEvr(a), formatEvr(b))).toBe(compareEvr(a, b));
      }),
      RUNS,
    );
  });
});
