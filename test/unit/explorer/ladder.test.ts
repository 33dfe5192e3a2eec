// The explorer's ladder grid, built from the core's own match over the vendor database and a
// site layer: which cells virt-v2v tries, in what order, where it stops, and why the others lose.
import { describe, expect, test } from "vitest";
import { buildLadder, whyShadowed, type LadderQuery } from "../../../components/explorer/ladder.ts";
import type { ExplainResult, Located } from "../../../server/config/explain-match.ts";
import { matchApp, matchCapability, NoMatchError, type Candidate, type ConfigFile, type MatchQuery } from "../../../server/v2v/index.ts";
import { conf, vendorDb } from "../v2v/helpers.ts";

function explain(files: ConfigFile[], kind: "app" | "capability", query: MatchQuery): ExplainResult {
  const layers = files.map((f, i) => ({ id: `L${i + 1}`, name: f.file, revision: 1 }));
  const loc = (c: Candidate<unknown>) =>
    ({ layerId: `L${c.fileIndex + 1}`, layerName: c.file, layerKind: "team", layerPosition: c.fileIndex + 1, rung: c.rung, rungText: "", index: c.index, element: c.element }) as Located<never>;
  try {
    const m = kind === "app" ? matchApp(files, query) : matchCapability(files, query);
    return { found: true, kind, search: "", winner: loc(m), shadowed: m.shadowed.map(loc), tree: [], layers };
  } catch (e) {
    if (!(e instanceof NoMatchError)) throw e;
    return { found: false, kind, search: "", message: e.message, layers };
  }
}

const site = conf(
  `<app os='linux' name='kernel'><path>site/kernel.rpm</path></app>
   <app os='linux' distro='rhel' major='5' name='kernel'><path>site/kernel-rhel5.rpm</path></app>
   <app os='linux' distro='rhel' major='5' name='kernel'><path>site/kernel-rhel5-again.rpm</path></app>`,
  "Site",
);
const rhel54: MatchQuery & LadderQuery = { kind: "app", name: "kernel", os: "linux", distro: "rhel", major: "5", minor: "4", arch: "x86_64" };

/** Each cell as "state[:step][+candidates]", rung rows, layer columns. */
function picture(result: ExplainResult, q: LadderQuery): string[][] {
  return buildLadder(result, q).rows.map((row) => row.map((c) => `${c.state}${c.step ? `:${c.step}` : ""}${c.candidates.length ? `+${c.candidates.length}` : ""}`));
}

describe("the ladder grid", () => {
  test("vendor only, RHEL 5.4 x86_64 kernel: rungs 1 and 2 tried, rung 3 wins, the rest not reached", () => {
    const r = explain([vendorDb()], "app", rhel54);
    expect(picture(r, rhel54)).toEqual([["empty:1"], ["empty:2"], ["winner:3"], ["not-reached"], ["not-reached"], ["not-reached"], ["not-reached"], ["not-reached"]]);
    expect(buildLadder(r, rhel54).steps).toBe(3);
  });

  test("an earlier layer wins at a less specific rung; the vendor's rung 3 waits, shadowed", () => {
    const r = explain([site, vendorDb()], "app", rhel54);
    expect(r.found && r.winner.layerName).toBe("Site");
    expect(r.found && r.winner.rung).toBe(4);
    expect(picture(r, rhel54)).toEqual([
      ["empty:1", "not-reached"],
      ["empty:2", "not-reached"],
      ["empty:3", "shadowed+1"],
      ["winner:4+1", "not-reached"],
      ["not-reached", "not-reached"],
      ["not-reached", "not-reached"],
      ["not-reached", "not-reached"],
      ["shadowed+1", "not-reached"],
    ]);
    const ladder = buildLadder(r, rhel54);
    expect(ladder.rows[3]![0]!.note).toBe("matched; 1 more here came later");
    expect(ladder.rows[2]![1]!.note).toBe("1 candidate never reached");
  });

  test("each shadowed candidate says why it lost", () => {
    const r = explain([site, vendorDb()], "app", rhel54);
    if (!r.found) throw new Error("expected a match");
    expect(r.shadowed.map((c) => [c.layerName, c.rung, whyShadowed(r.winner, c)])).toEqual([
      ["Site", 4, "Same layer and rung, but later in the layer: the first in document order wins."],
      ["Site", 8, "Less specific (rung 8) in the same layer: rung 4 is tried first."],
      ["virt-v2v.db", 3, "More specific (rung 3), but in a later layer: Site is searched first and the search stops at its first match."],
    ]);
  });

  test("without a distro (Windows), rungs 5 and 6 are rungs 7 and 8", () => {
    const q: MatchQuery & LadderQuery = { kind: "app", name: "rhsrvany", os: "windows", major: "6", minor: "1", arch: "x86_64" };
    const r = explain([vendorDb()], "app", q);
    expect(picture(r, q).map((row) => row[0])).toEqual(["empty:1", "empty:2", "empty:3", "empty:4", "same", "same", "empty:5", "winner:6"]);
    expect(buildLadder(r, q).rows[4]![0]!.note).toBe("no distro: same as rung 7");
  });

  test("a capability is searched without arch: the arch rungs are skipped, and say so", () => {
    const q: MatchQuery & LadderQuery = { kind: "capability", name: "virtio", os: "linux", distro: "rhel", major: "6", minor: "2", arch: "x86_64" };
    const r = explain([vendorDb()], "capability", { ...q, arch: undefined });
    expect(picture(r, q).map((row) => row[0])).toEqual(["skipped", "empty:1", "skipped", "winner:2", "skipped", "not-reached", "skipped", "not-reached"]);
    expect(buildLadder(r, q).rows[0]![0]!.note).toBe("capabilities are searched without arch");
  });

  test("a guest without a minor skips the rungs comparing it", () => {
    const q: MatchQuery & LadderQuery = { kind: "app", name: "kernel", os: "linux", distro: "rhel", major: "5", arch: "x86_64" };
    const ladder = buildLadder(explain([vendorDb()], "app", q), q);
    expect(ladder.rows[0]![0]!.note).toBe("no minor to compare");
    expect(ladder.rows[1]![0]!.state).toBe("skipped");
    expect(ladder.rows[2]![0]!.state).toBe("winner");
    expect(ladder.rows[2]![0]!.step).toBe(1);
  });

  test("no match: every applicable cell of every layer was tried, in order", () => {
    const q: MatchQuery & LadderQuery = { ...rhel54, name: "no-such-thing" };
    const r = explain([site, vendorDb()], "app", q);
    expect(r.found).toBe(false);
    const ladder = buildLadder(r, q);
    expect(ladder.steps).toBe(16);
    expect(ladder.rows.map((row) => row.map((c) => c.step))).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((rung) => [rung, rung + 8]));
  });
});
