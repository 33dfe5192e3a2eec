// The search as virt-v2v walks it, laid out as a grid: one column per layer (searched left to
// right), one row per rung (tried top to bottom inside each layer). Each cell says whether it
// was tried, skipped (the guest lacks an attribute the rung compares), matched, or holds
// candidates that lost, and why. Pure: built from an explainMatch result and the query.
import type { ExplainResult, LayerRef, Located } from "@/server/config/explain-match";
import type { Rung } from "@/server/v2v/match";

export type LadderAttr = "distro" | "major" | "minor" | "arch";
export type LadderQuery = { kind: "app" | "capability"; distro?: string | undefined; major?: string | undefined; minor?: string | undefined; arch?: string | undefined };

export const RUNGS: readonly Rung[] = [1, 2, 3, 4, 5, 6, 7, 8];

/** The attributes each rung compares; every other one must be absent from the element. */
export const RUNG_ATTRS: Record<Rung, readonly LadderAttr[]> = {
  1: ["distro", "major", "minor", "arch"],
  2: ["distro", "major", "minor"],
  3: ["distro", "major", "arch"],
  4: ["distro", "major"],
  5: ["distro", "arch"],
  6: ["distro"],
  7: ["arch"],
  8: [],
};

/** Attributes the guest must have for virt-v2v to try the rung at all (distro is never needed). */
const NEEDS: Record<Rung, readonly Exclude<LadderAttr, "distro">[]> = {
  1: ["major", "minor", "arch"],
  2: ["major", "minor"],
  3: ["major", "arch"],
  4: ["major"],
  5: ["arch"],
  6: [],
  7: ["arch"],
  8: [],
};

export type CellState =
  /** Not tried: the search lacks an attribute this rung compares. */
  | "skipped"
  /** Without a distro, rungs 5 and 6 ask exactly what 7 and 8 ask; the core reports those. */
  | "same"
  /** Tried, nothing there. */
  | "empty"
  | "winner"
  /** Holds candidates that lost (the search had stopped, or they came later in the same rung). */
  | "shadowed"
  /** After the winner, nothing there either. */
  | "not-reached";

export type LadderCell = {
  rung: Rung;
  layerIndex: number;
  state: CellState;
  /** Position in the search (1 = first cell tried), for tried cells up to and including the winner. */
  step?: number;
  /** A short reason shown in the cell. */
  note: string;
  winner?: Located<unknown>;
  candidates: Located<unknown>[];
};

export type Ladder = {
  layers: LayerRef[];
  /** rows[rung - 1][layerIndex] */
  rows: LadderCell[][];
  /** How many cells virt-v2v looked in before it stopped (or gave up). */
  steps: number;
};

function missing(q: LadderQuery, rung: Rung): string[] {
  const arch = q.kind === "capability" ? undefined : q.arch;
  const have = { major: q.major, minor: q.minor, arch };
  return NEEDS[rung].filter((a) => have[a] === undefined);
}

/** Why a candidate lost to the winner, in plain words. */
export function whyShadowed(winner: Pick<Located<unknown>, "layerPosition" | "rung" | "index" | "layerName">, c: Pick<Located<unknown>, "layerPosition" | "rung" | "index">): string {
  if (c.layerPosition > winner.layerPosition) {
    return c.rung < winner.rung
      ? `More specific (rung ${c.rung}), but in a later layer: ${winner.layerName} is searched first and the search stops at its first match.`
      : `In a later layer: ${winner.layerName} is searched first.`;
  }
  if (c.rung > winner.rung) return `Less specific (rung ${c.rung}) in the same layer: rung ${winner.rung} is tried first.`;
  return "Same layer and rung, but later in the layer: the first in document order wins.";
}

export function buildLadder(result: ExplainResult, query: LadderQuery): Ladder {
  const layers = result.layers;
  const winner = result.found ? result.winner : undefined;
  const shadowed = result.found ? result.shadowed : [];
  const noDistro = query.distro === undefined;
  let step = 0;
  let stopped = false;
  const cells = new Map<string, LadderCell>();

  layers.forEach((_, layerIndex) => {
    for (const rung of RUNGS) {
      const here = shadowed.filter((c) => c.layerPosition === layerIndex + 1 && c.rung === rung);
      const isWinner = winner !== undefined && winner.layerPosition === layerIndex + 1 && winner.rung === rung;
      const cell: LadderCell = { rung, layerIndex, state: "empty", note: "", candidates: here };
      const lacks = missing(query, rung);
      if (lacks.length > 0) {
        cell.state = "skipped";
        cell.note = query.kind === "capability" && lacks.includes("arch") ? "capabilities are searched without arch" : `no ${lacks.join(", ")} to compare`;
      } else if (noDistro && (rung === 5 || rung === 6)) {
        cell.state = "same";
        cell.note = `no distro: same as rung ${rung + 2}`;
      } else if (isWinner) {
        cell.state = "winner";
        cell.step = ++step;
        cell.winner = winner;
        cell.note = here.length ? `matched; ${here.length} more here came later` : "matched: the search stops";
        stopped = true;
      } else if (stopped) {
        cell.state = here.length ? "shadowed" : "not-reached";
        cell.note = here.length ? `${here.length} ${here.length === 1 ? "candidate" : "candidates"} never reached` : "not reached";
      } else {
        cell.step = ++step;
        cell.note = "tried: no element";
      }
      cells.set(`${rung}:${layerIndex}`, cell);
    }
  });

  const rows = RUNGS.map((rung) => layers.map((_, layerIndex) => cells.get(`${rung}:${layerIndex}`)!));
  return { layers, rows, steps: step };
}
