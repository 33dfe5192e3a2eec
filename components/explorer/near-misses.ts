// Elements with the searched name that match at no rung, each with the attribute(s) that rule
// it out, and names that look like the one searched (a typo hint). Pure: the page passes the
// stack's elements in. The matching itself is the core's; this only explains a non-match.
import type { MatchAttrs } from "@/server/v2v/model";
import type { LadderQuery } from "./ladder";

export type NearMissLayer = { layerId: string; layerName: string; elements: readonly (MatchAttrs & { path?: string })[] };
export type MissQuery = LadderQuery & { name: string; os: string };

export type NearMiss = {
  layerId: string;
  layerName: string;
  layerPosition: number;
  index: number;
  element: MatchAttrs & { path?: string };
  reasons: string[];
};

const q = (v: string) => `'${v}'`;

/** Why `e` (already known to carry the searched name) matches at no rung; [] when it does match. */
export function missReasons(e: MatchAttrs, query: MissQuery): string[] {
  const reasons: string[] = [];
  const arch = query.kind === "capability" ? undefined : query.arch;
  if (e.os === undefined) reasons.push("It has no os attribute, so it can never match.");
  else if (e.os !== query.os) reasons.push(`os is ${q(e.os)}, the guest's is ${q(query.os)}.`);
  if (e.distro !== undefined && e.distro !== query.distro) {
    reasons.push(query.distro === undefined ? `It has distro=${q(e.distro)}; the search has no distro (only Linux guests have one).` : `distro is ${q(e.distro)}, not ${q(query.distro)}.`);
  }
  if (e.major !== undefined && e.major !== query.major) {
    reasons.push(query.major === undefined ? `It has major=${q(e.major)}; the search has no major version.` : `major is ${q(e.major)}, not ${q(query.major)}.`);
  }
  if (e.minor !== undefined) {
    if (e.major === undefined) reasons.push("It has a minor but no major: no rung compares minor without major.");
    else if (e.minor !== query.minor) reasons.push(query.minor === undefined ? `It has minor=${q(e.minor)}; the search has no minor version.` : `minor is ${q(e.minor)}, not ${q(query.minor)}.`);
  }
  if (e.arch !== undefined && e.arch !== arch) {
    if (query.kind === "capability") reasons.push(`It has arch=${q(e.arch)}: virt-v2v searches capabilities without an arch, so a capability with one never matches.`);
    else if (arch === undefined) reasons.push(`It has arch=${q(e.arch)}; the search has no arch.`);
    else reasons.push(`arch is ${q(e.arch)}, not ${q(arch)} (no aliasing: i386, i586, i686 and x86_64 are different strings).`);
  }
  if (reasons.length === 0 && e.major !== undefined && e.distro === undefined && query.distro !== undefined) {
    reasons.push(`It has a major but no distro: the rungs that compare major also compare distro, so it only matches guests without one (this one is ${q(query.distro)}).`);
  }
  return reasons;
}

export function nearMisses(layers: readonly NearMissLayer[], query: MissQuery): NearMiss[] {
  const out: NearMiss[] = [];
  layers.forEach((layer, i) => {
    layer.elements.forEach((element, index) => {
      if (element.name !== query.name) return;
      const reasons = missReasons(element, query);
      if (reasons.length) out.push({ layerId: layer.layerId, layerName: layer.layerName, layerPosition: i + 1, index, element, reasons });
    });
  });
  // Nearest first: the fewer attributes rule an element out, the closer it came.
  return out.sort((a, b) => a.reasons.length - b.reasons.length || a.layerPosition - b.layerPosition || a.index - b.index);
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** Names in the stack close to `name` (case, a typo or two, a prefix), closest first. */
export function similarNames(names: Iterable<string>, name: string, limit = 5): string[] {
  const lower = name.toLowerCase();
  const scored: [string, number][] = [];
  for (const n of new Set(names)) {
    if (n === name) continue;
    const l = n.toLowerCase();
    const d = l === lower ? 0 : distance(l, lower);
    const related = d <= Math.max(1, Math.floor(name.length / 4)) || (lower.length >= 3 && (l.startsWith(lower) || lower.startsWith(l)));
    if (related) scored.push([n, d]);
  }
  return scored.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).slice(0, limit).map(([n]) => n);
}
