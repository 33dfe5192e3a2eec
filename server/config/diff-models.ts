// What changed between two models, element by element: added, removed, changed (same
// identity, different content) and moved (same element, different place in its list, which
// can change which one the matching ladder finds first).
import { ELEMENT_KINDS, LIST_OF, elementLabel, identityKey, listOf, type ElementKind, type ElementOf, type ListKey } from "./element-kinds.ts";
import type { LayerModel } from "./layer-model.ts";

export type Added<T> = { key: string; label: string; index: number; after: T };
export type Removed<T> = { key: string; label: string; index: number; before: T };
export type Changed<T> = { key: string; label: string; beforeIndex: number; afterIndex: number; before: T; after: T };
export type Moved = { key: string; label: string; from: number; to: number };

export type KindDiff<T> = { added: Added<T>[]; removed: Removed<T>[]; changed: Changed<T>[]; moved: Moved[] };

export type SettingChange = { field: "pathRoot" | "isoPath"; before: string | undefined; after: string | undefined };

export type DiffCounts = { added: number; changed: number; removed: number; moved: number };

export type ModelDiff = {
  profiles: KindDiff<ElementOf["profile"]>;
  networks: KindDiff<ElementOf["network"]>;
  capabilities: KindDiff<ElementOf["capability"]>;
  apps: KindDiff<ElementOf["app"]>;
  settings: SettingChange[];
  counts: DiffCounts;
};

type Keyed<T> = { key: string; index: number; element: T; json: string };

/** Elements with their identity; a repeated identity gets "#2", "#3"... in document order. */
function keyed<K extends ElementKind>(kind: K, list: ElementOf[K][]): Keyed<ElementOf[K]>[] {
  const seen = new Map<string, number>();
  return list.map((element, index) => {
    const base = identityKey(kind, element);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { key: n === 1 ? base : `${base}#${n}`, index, element, json: JSON.stringify(element) };
  });
}

function diffKind<K extends ElementKind>(kind: K, before: ElementOf[K][], after: ElementOf[K][]): KindDiff<ElementOf[K]> {
  const a = keyed(kind, before);
  const b = keyed(kind, after);
  const inA = new Map(a.map((e) => [e.key, e]));
  const inB = new Map(b.map((e) => [e.key, e]));
  const out: KindDiff<ElementOf[K]> = { added: [], removed: [], changed: [], moved: [] };
  for (const e of a) {
    const other = inB.get(e.key);
    if (!other) out.removed.push({ key: e.key, label: elementLabel(kind, e.element), index: e.index, before: e.element });
    else if (other.json !== e.json) {
      out.changed.push({ key: e.key, label: elementLabel(kind, other.element), beforeIndex: e.index, afterIndex: other.index, before: e.element, after: other.element });
    }
  }
  for (const e of b) {
    if (!inA.has(e.key)) out.added.push({ key: e.key, label: elementLabel(kind, e.element), index: e.index, after: e.element });
  }
  // Moves: the common elements outside a longest common subsequence of the two orders.
  const commonA = a.filter((e) => inB.has(e.key)).map((e) => e.key);
  const commonB = b.filter((e) => inA.has(e.key)).map((e) => e.key);
  const stay = lcs(commonA, commonB);
  for (const key of commonB) {
    if (stay.has(key)) continue;
    const from = inA.get(key)!;
    const to = inB.get(key)!;
    out.moved.push({ key, label: elementLabel(kind, to.element), from: from.index, to: to.index });
  }
  return out;
}

/** Keys of a longest common subsequence (O(n*m), only run on the part that differs). */
function lcs(a: string[], b: string[]): Set<string> {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const keep = new Set<string>([...a.slice(0, start), ...a.slice(endA)]);
  const x = a.slice(start, endA);
  const y = b.slice(start, endB);
  if (x.length === 0 || y.length === 0) return keep;
  if (x.length * y.length > 4_000_000) return keep; // too different to say: report them all as moved
  const w = y.length + 1;
  const table = new Uint32Array((x.length + 1) * w);
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      table[i * w + j] = x[i] === y[j] ? table[(i + 1) * w + j + 1]! + 1 : Math.max(table[(i + 1) * w + j]!, table[i * w + j + 1]!);
    }
  }
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) {
      keep.add(x[i]!);
      i++;
      j++;
    // On a tie keep the earlier element of the old order: a swap then reports the one that went up.
    } else if (table[(i + 1) * w + j]! > table[i * w + j + 1]!) i++;
    else j++;
  }
  return keep;
}

export function diffModels(before: LayerModel, after: LayerModel): ModelDiff {
  const lists = {} as Record<ListKey, KindDiff<unknown>>;
  for (const kind of ELEMENT_KINDS) lists[LIST_OF[kind]] = diffKind(kind, listOf(before, kind), listOf(after, kind)) as KindDiff<unknown>;
  const settings: SettingChange[] = [];
  for (const field of ["pathRoot", "isoPath"] as const) {
    if (before[field] !== after[field]) settings.push({ field, before: before[field], after: after[field] });
  }
  const counts: DiffCounts = { added: 0, changed: settings.length, removed: 0, moved: 0 };
  for (const d of Object.values(lists)) {
    counts.added += d.added.length;
    counts.changed += d.changed.length;
    counts.removed += d.removed.length;
    counts.moved += d.moved.length;
  }
  return { ...(lists as Pick<ModelDiff, ListKey>), settings, counts };
}

export function isEmptyDiff(diff: ModelDiff): boolean {
  const c = diff.counts;
  return c.added + c.changed + c.removed + c.moved === 0;
}

/** "3 added, 1 changed, 0 removed" (and moves when there are any). */
export function formatCounts(c: DiffCounts): string {
  return `${c.added} added, ${c.changed} changed, ${c.removed} removed${c.moved ? `, ${c.moved} moved` : ""}`;
}
