// virt-v2v's matching ladder (Config.pm _match_element): files outermost, then the 8 rungs,
// then document order. At each rung the attributes it uses must be equal (case-sensitive, no
// arch aliasing) and the ones it does not use must be absent.
import { NoMatchError, type MatchKind } from "./errors.ts";
import type { App, Capability, ConfigFile, MatchAttrs } from "./model.ts";

export type Rung = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/** What virt-v2v searches with. Values are strings: major "5", not 5. */
export type MatchQuery = {
  name: string;
  os: string;
  distro?: string | undefined;
  major?: string | undefined;
  minor?: string | undefined;
  arch?: string | undefined;
};

export type Candidate<T> = { fileIndex: number; file: string; rung: Rung; index: number; element: T };

/** The winner, and every other element that would have matched later (the console shows them). */
export type MatchResult<T> = Candidate<T> & { kind: MatchKind; shadowed: Candidate<T>[] };

/**
 * The rung at which `e` matches `q`, or undefined. An element can match at one rung at most:
 * its own set of present attributes decides which. When the query has no distro (Windows),
 * virt-v2v's rungs 5-6 (`not(@distro)`) and 7-8 accept the same elements; they are reported
 * as 7-8, the "no distro" rungs, which keeps the order (5 before 6 is 7 before 8).
 */
export function rungOf(e: MatchAttrs, q: MatchQuery): Rung | undefined {
  if (e.name === undefined || e.name !== q.name || e.os === undefined || e.os !== q.os) return undefined;
  const hasMajor = e.major !== undefined;
  const hasMinor = e.minor !== undefined;
  const hasArch = e.arch !== undefined;
  if (hasMinor && !hasMajor) return undefined;
  if (hasMajor && e.major !== q.major) return undefined;
  if (hasMinor && e.minor !== q.minor) return undefined;
  if (hasArch && e.arch !== q.arch) return undefined;
  if (e.distro !== undefined && e.distro !== q.distro) return undefined;
  if (hasMajor) {
    // Rungs 1-4 compare distro: a distro-less element qualifies only for a distro-less query.
    if (e.distro === undefined && q.distro !== undefined) return undefined;
    if (hasMinor) return hasArch ? 1 : 2;
    return hasArch ? 3 : 4;
  }
  if (e.distro !== undefined) return hasArch ? 5 : 6;
  return hasArch ? 7 : 8;
}

type Indexed<T> = { element: T; index: number }[];
type NameIndex = { length: number; byName: Map<string, Indexed<unknown>> };
const indexCache = new WeakMap<readonly unknown[], NameIndex>();

/**
 * Elements by name, built once per list: configs are values, not edited in place. A list
 * whose length changed since is re-indexed; replacing elements in place is not supported.
 */
function byName<T extends MatchAttrs>(list: readonly T[]): Map<string, Indexed<T>> {
  const cached = indexCache.get(list);
  if (cached && cached.length === list.length) return cached.byName as Map<string, Indexed<T>>;
  const index = new Map<string, Indexed<T>>();
  list.forEach((element, i) => {
    if (element.name === undefined) return;
    let bucket = index.get(element.name);
    if (!bucket) index.set(element.name, (bucket = []));
    bucket.push({ element, index: i });
  });
  indexCache.set(list, { length: list.length, byName: index as Map<string, Indexed<unknown>> });
  return index;
}

/** Every match in precedence order: file, then rung, then document order. */
export function findCandidates<T extends MatchAttrs>(
  files: readonly ConfigFile[],
  pick: (file: ConfigFile) => readonly T[],
  query: MatchQuery,
): Candidate<T>[] {
  const out: Candidate<T>[] = [];
  files.forEach((config, fileIndex) => {
    const bucket = byName(pick(config)).get(query.name);
    if (!bucket) return;
    const found: Candidate<T>[] = [];
    for (const { element, index } of bucket) {
      const rung = rungOf(element, query);
      if (rung !== undefined) found.push({ fileIndex, file: config.file, rung, index, element });
    }
    found.sort((a, b) => a.rung - b.rung || a.index - b.index);
    out.push(...found);
  });
  return out;
}

/** virt-v2v's search text: os, name, then distro/major/minor/arch when known. */
export function formatSearch(query: MatchQuery): string {
  let search = `os='${query.os}' name='${query.name}'`;
  if (query.distro !== undefined) search += ` distro='${query.distro}'`;
  if (query.major !== undefined) search += ` major='${query.major}'`;
  if (query.minor !== undefined) search += ` minor='${query.minor}'`;
  if (query.arch !== undefined) search += ` arch='${query.arch}'`;
  return search;
}

function select<T extends MatchAttrs>(
  kind: MatchKind,
  files: readonly ConfigFile[],
  pick: (file: ConfigFile) => readonly T[],
  query: MatchQuery,
): MatchResult<T> {
  const [winner, ...shadowed] = findCandidates(files, pick, query);
  if (!winner) throw new NoMatchError(kind, formatSearch(query), files.length === 0);
  return { kind, ...winner, shadowed };
}

export function matchApp(files: readonly ConfigFile[], query: MatchQuery): MatchResult<App> {
  return select("app", files, (f) => f.apps, query);
}

/** Capabilities are always matched without an arch (virt-v2v never passes one). */
export function matchCapability(
  files: readonly ConfigFile[],
  query: Omit<MatchQuery, "arch">,
): MatchResult<Capability> {
  const { name, os, distro, major, minor } = query;
  return select("capability", files, (f) => f.capabilities, { name, os, distro, major, minor });
}

/** Like matchApp, but no match is not an error (e.g. the optional i386 counterpart). */
export function tryMatchApp(files: readonly ConfigFile[], query: MatchQuery): MatchResult<App> | undefined {
  const [winner, ...shadowed] = findCandidates(files, (f) => f.apps, query);
  return winner ? { kind: "app", ...winner, shadowed } : undefined;
}

/** An app's path on the host: absolute as written, else joined with its file's path-root. */
export function resolveAppPath(path: string, root: string | undefined): string {
  if (path.startsWith("/") || root === undefined) return path;
  return joinPath(root, path);
}

/** File::Spec->catfile for POSIX paths: one slash between the parts. */
export function joinPath(dir: string, path: string): string {
  const head = dir.replace(/\/+$/, "");
  const tail = path.replace(/^(\.\/)+/, "");
  return head === "" && dir.startsWith("/") ? `/${tail}` : `${head}/${tail}`;
}
