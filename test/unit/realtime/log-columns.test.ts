// Log batches as columns (server/log-columns.ts): whatever the lines, decoding gives back exactly
// the lines encoded, in order; a flood of alike lines shrinks to a few runs.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { fromLiveColumns, fromRanges, fromRuns, fromSeqColumns, liveLineSpan, liveLinesAfter, runLength, toLiveColumns, toRanges, toRuns, toSeqColumns } from "../../../server/log-columns.ts";

const level = fc.constantFrom("debug" as const, "info" as const, "warn" as const, "error" as const);
const at = fc.constantFrom("2026-12-01T10:00:00.000Z", "2026-12-01T10:00:00.001Z", "2026-12-01T10:00:01.500Z");
const stage = fc.constantFrom("copy", "inspect", "");
const fields = { at, level, stage, message: fc.string() };

describe("log columns", () => {
  test("runs and ranges give back the values they were made of", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 3 })), fc.array(fc.integer({ min: 0, max: 50 })), (values, numbers) => {
        expect(fromRuns(toRuns(values))).toEqual(values);
        expect(runLength(toRuns(values))).toBe(values.length);
        expect(fromRanges(toRanges(numbers))).toEqual(numbers);
        expect(runLength(toRanges(numbers))).toBe(numbers.length);
      }),
    );
  });

  test("live lines (line number, attempt, any fields) round-trip in order", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ line: fc.nat(), attempt: fc.integer({ min: 1, max: 3 }), ...fields })), (lines) => {
        expect(fromLiveColumns(toLiveColumns(lines))).toEqual(lines);
      }),
    );
  });

  test("an agent's lines (seq, any fields) round-trip in order", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ seq: fc.nat(), ...fields })), (lines) => {
        expect(fromSeqColumns(toSeqColumns(lines))).toEqual(lines);
      }),
    );
  });

  test("5,000 consecutive lines of one stage and level: one run each, one message per line", () => {
    const lines = Array.from({ length: 5000 }, (_, i) => ({ line: 101 + i, attempt: 2, at: "2026-12-01T10:00:00.000Z", level: "info" as const, stage: "copy", message: `block ${i}` }));
    const c = toLiveColumns(lines);
    expect(c).toMatchObject({ line: [[101, 5000]], attempt: [[2, 5000]], at: [["2026-12-01T10:00:00.000Z", 5000]], level: [["info", 5000]], stage: [["copy", 5000]] });
    expect(c.message).toHaveLength(5000);
  });

  test("cutting a live batch after a line number leaves exactly the later lines, without decoding it", () => {
    const batch = fc
      .tuple(fc.integer({ min: 1, max: 1000 }), fc.array(fc.record({ gap: fc.integer({ min: 1, max: 3 }), attempt: fc.integer({ min: 1, max: 2 }), ...fields }), { minLength: 1 }))
      .map(([first, rest]) => {
        let line = first;
        return rest.map(({ gap, ...l }) => ({ ...l, line: (line += gap) }));
      });
    fc.assert(
      fc.property(batch, fc.integer({ min: 0, max: 3000 }), (lines, through) => {
        const c = toLiveColumns(lines);
        expect(liveLineSpan(c)).toEqual({ first: lines[0]!.line, last: lines[lines.length - 1]!.line });
        const rest = liveLinesAfter(c, through);
        const expected = lines.filter((l) => l.line > through);
        expect(rest ? fromLiveColumns(rest) : []).toEqual(expected);
        if (expected.length === lines.length) expect(rest).toBe(c); // nothing cut: the same columns
      }),
    );
  });
});
