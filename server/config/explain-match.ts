// "Which rule wins?": the core's matching ladder over the whole stack, explained. For a query
// it gives the winning element with its layer and rung, every candidate it shadowed, and for
// a capability (or an app) the dependency tree resolved the way virt-v2v resolves it, each
// app's file resolved against its layer's path-root and checked for presence.
import { z } from "zod";
import type { Db } from "../db/client.ts";
import {
  NoMatchError,
  findCandidates,
  formatSearch,
  isIfInstalled,
  kernelArchFor,
  matchApp,
  matchCapability,
  resolveAppPath,
  type App,
  type Candidate,
  type MatchQuery,
  type Rung,
} from "../v2v/index.ts";
import { getStack, type StackEntry } from "./get-stack.ts";
import { toLayerApp, toLayerCapability, type LayerApp, type LayerCapability } from "./layer-model.ts";
import { parseInput } from "./parse-input.ts";

/** Whether a layer's app file exists: true, false, or null when it cannot be told (e.g. an absolute path on an agent host). */
export type Presence = (layerId: string, path: string) => Promise<boolean | null>;

const optional = (label: string) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.string().trim().max(100).regex(/^\S+$/, `${label} must not contain spaces.`).optional());

export const ZExplainQuery = z.object({
  kind: z.enum(["app", "capability"], { error: "Choose app or capability." }),
  name: z.string({ error: "Name is required." }).trim().min(1, { error: "Name is required.", abort: true }).max(100).regex(/^\S+$/, "Name must not contain spaces."),
  os: z.string({ error: "OS is required." }).trim().min(1, { error: "OS is required.", abort: true }).max(100).regex(/^\S+$/, "OS must not contain spaces."),
  distro: optional("Distro"),
  major: optional("Major").refine((v) => v === undefined || /^\d+$/.test(v), "Major is a whole number, such as 5."),
  minor: optional("Minor").refine((v) => v === undefined || /^\d+$/.test(v), "Minor is a whole number, such as 3."),
  arch: optional("Arch"),
});
export type TExplainQuery = z.input<typeof ZExplainQuery>;

export const RUNG_TEXT: Record<Rung, string> = {
  1: "distro, major, minor and arch",
  2: "distro, major and minor (any arch)",
  3: "distro, major and arch (any minor)",
  4: "distro and major",
  5: "distro and arch (any version)",
  6: "distro only (any version)",
  7: "arch only (any distro and version)",
  8: "name and os only",
};

export type Located<T> = {
  layerId: string;
  layerName: string;
  layerKind: "vendor" | "team";
  /** 1 = searched first. */
  layerPosition: number;
  rung: Rung;
  rungText: string;
  /** Index in the layer's list (the element forms address elements by it). */
  index: number;
  element: T;
};

export type ResolvedApp = Located<LayerApp> & {
  /** As written in the layer. */
  path: string;
  /** Resolved against the layer's path-root, as virt-v2v reads it. */
  hostPath: string;
  present: boolean | null;
  shadowed: Located<LayerApp>[];
};

export type DepNode = {
  name: string;
  /** The arch the app was searched with. */
  arch: string | undefined;
  minversion?: string;
  /** A capability dep with ifinstalled: only installed when the guest already has the package. */
  ifinstalled?: boolean;
  app: ResolvedApp | null;
  /** The core's no-match message when no app matches. */
  problem?: string;
  note?: string;
  /** This app already appears above in this branch: not expanded again. */
  cycle?: boolean;
  children: DepNode[];
};

export type LayerRef = { id: string; name: string; revision: number };

export type ExplainResult =
  | {
      found: true;
      kind: "app" | "capability";
      search: string;
      winner: Located<LayerApp | LayerCapability>;
      shadowed: Located<LayerApp | LayerCapability>[];
      /** For an app query: the winner's file. */
      app?: ResolvedApp;
      tree: DepNode[];
      layers: LayerRef[];
    }
  | { found: false; kind: "app" | "capability"; search: string; message: string; layers: LayerRef[] };

const MAX_NODES = 500;
const unknownPresence: Presence = async () => null;

export async function explainMatch(client: Db, raw: TExplainQuery, opts: { presence?: Presence } = {}): Promise<ExplainResult> {
  const q = parseInput(ZExplainQuery, raw);
  const stack = await getStack(client);
  const explainer = new Explainer(stack, opts.presence ?? unknownPresence);
  const query: MatchQuery = { name: q.name, os: q.os, distro: q.distro, major: q.major, minor: q.minor, arch: q.arch };
  const layers = stack.map((s) => ({ id: s.layerId, name: s.name, revision: s.revision }));
  const files = stack.map((s) => s.config);
  const searched = q.kind === "capability" ? { ...query, arch: undefined } : query;
  try {
    if (q.kind === "capability") {
      const m = matchCapability(files, searched);
      const base = { os: q.os, distro: q.distro, major: q.major, minor: q.minor };
      const tree = await explainer.capabilityTree(m.element.deps, base, q.arch);
      return {
        found: true,
        kind: "capability",
        search: formatSearch(searched),
        winner: explainer.locate(m, toLayerCapability),
        shadowed: m.shadowed.map((c) => explainer.locate(c, toLayerCapability)),
        tree,
        layers,
      };
    }
    const m = matchApp(files, query);
    const app = await explainer.resolved(m);
    const tree = await explainer.appTree(m.element.deps, query, new Set([`${q.name}\u0000${q.arch ?? ""}`]));
    return { found: true, kind: "app", search: formatSearch(query), winner: explainer.locate(m, toLayerApp), shadowed: app.shadowed, app, tree, layers };
  } catch (e) {
    if (!(e instanceof NoMatchError)) throw e;
    return { found: false, kind: q.kind, search: formatSearch(searched), message: e.message, layers };
  }
}

class Explainer {
  private nodes = 0;
  private readonly presenceCache = new Map<string, Promise<boolean | null>>();
  constructor(
    private readonly stack: StackEntry[],
    private readonly presence: Presence,
  ) {}

  locate<T, U>(c: Candidate<T>, convert: (e: T) => U): Located<U> {
    const layer = this.stack[c.fileIndex]!;
    return { layerId: layer.layerId, layerName: layer.name, layerKind: layer.kind, layerPosition: c.fileIndex + 1, rung: c.rung, rungText: RUNG_TEXT[c.rung], index: c.index, element: convert(c.element) };
  }

  async resolved(m: Candidate<App> & { shadowed: Candidate<App>[] }): Promise<ResolvedApp> {
    const layer = this.stack[m.fileIndex]!;
    const path = m.element.path;
    const key = `${layer.layerId}\u0000${path}`;
    let present = this.presenceCache.get(key);
    if (!present) this.presenceCache.set(key, (present = this.presence(layer.layerId, path)));
    return {
      ...this.locate(m, toLayerApp),
      path,
      hostPath: resolveAppPath(path, layer.config.pathRoot),
      present: await present,
      shadowed: m.shadowed.map((c) => this.locate(c, toLayerApp)),
    };
  }

  private files() {
    return this.stack.map((s) => s.config);
  }

  async capabilityTree(deps: LayerCapability["deps"], base: Omit<MatchQuery, "name" | "arch">, arch: string | undefined): Promise<DepNode[]> {
    // A repeated dep name counts once, with the last values (as the core's planner reads it).
    const unique = new Map<string, LayerCapability["deps"][number]>();
    for (const d of deps) unique.set(d.name, d);
    const out: DepNode[] = [];
    for (const dep of unique.values()) {
      const kernel = dep.name === "kernel";
      const depArch = kernel && arch !== undefined ? kernelArchFor(arch, base.distro) : arch;
      const node = await this.node({ ...base, name: dep.name, arch: depArch }, new Set());
      if (dep.minversion !== undefined) node.minversion = dep.minversion;
      node.ifinstalled = isIfInstalled({ name: dep.name, minversion: dep.minversion, ifinstalled: dep.ifinstalled });
      if (kernel) {
        node.note = "virt-v2v installs the guest's own kernel package when it is new enough, and replaces a Xen kernel by a package it chooses from the guest's distro, memory and CPUs (kernel-PAE, kernel-smp, kernel-default...); that package is looked up the same way.";
      }
      out.push(node);
    }
    return out;
  }

  async appTree(names: readonly string[], query: MatchQuery, ancestors: Set<string>): Promise<DepNode[]> {
    const out: DepNode[] = [];
    for (const name of names) out.push(await this.node({ ...query, name }, ancestors));
    return out;
  }

  private async node(query: MatchQuery, ancestors: Set<string>): Promise<DepNode> {
    const node: DepNode = { name: query.name, arch: query.arch, app: null, children: [] };
    const key = `${query.name}\u0000${query.arch ?? ""}`;
    if (ancestors.has(key)) return { ...node, cycle: true };
    if (++this.nodes > MAX_NODES) return { ...node, problem: `The dependency tree is larger than ${MAX_NODES} entries; the rest is not shown.` };
    const [winner, ...shadowed] = findCandidates(this.files(), (f) => f.apps, query);
    if (!winner) return { ...node, problem: new NoMatchError("app", formatSearch(query), this.stack.length === 0).message };
    node.app = await this.resolved({ ...winner, shadowed });
    node.children = await this.appTree(winner.element.deps, query, new Set([...ancestors, key]));
    return node;
  }
}
