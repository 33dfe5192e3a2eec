// Which conversions an agent can run: the tools a conversion needs (from its request and plan),
// the nbdkit plugin a remote source is read with, the storage pool and networks it names, checked against what an agent reported. When no
// connected agent can run one, whyUnclaimable says why in one sentence instead of waiting.
import { z } from "zod";
import { NBDKIT_PLUGIN_PACKAGE, type RemotePlugin } from "../engine/nbdkit-disks.ts";
import { isHttpsRemote } from "../engine/remote.ts";
import { TOOLS, type ToolName } from "../engine/tools.ts";
import type { AgentCapabilities } from "./capabilities.ts";

export type ConversionDemand = { tools: ToolName[]; plugins: RemotePlugin[]; pool?: string | undefined; networks: string[]; bridges: string[] };

export type Unmet =
  | { kind: "tool"; tool: ToolName; package: string }
  | { kind: "plugin"; plugin: RemotePlugin; package: string }
  | { kind: "pool"; name: string }
  | { kind: "network"; name: string }
  | { kind: "bridge"; name: string }
  | { kind: "libvirt"; error: string };

// Read loosely: the request's full schema belongs to the conversion service; only the fields
// that decide where a conversion can run matter here.
const ZRequestShape = z
  .object({
    source: z
      .object({ method: z.string().optional(), uri: z.string().optional(), remote: z.object({ uri: z.string().optional() }).partial().passthrough().optional() })
      .partial()
      .passthrough()
      .optional(),
    output: z.object({ method: z.string().optional(), storage: z.string().optional() }).partial().passthrough().optional(),
  })
  .passthrough();

const ZPlanShape = z
  .object({
    output: z.object({ method: z.string().optional(), storage: z.string().optional() }).partial().passthrough().optional(),
    nics: z.array(z.object({ to: z.object({ type: z.string(), name: z.string() }) }).passthrough()).optional(),
  })
  .passthrough();

/**
 * Every conversion copies, and inspects in a guestfish appliance with the transfer ISO (built
 * by xorriso) attached, dry runs included; a real run also converts.
 */
const ALWAYS: ToolName[] = ["qemu-img", "guestfish", "xorriso"];
const FULL_RUN: ToolName[] = ["virt-v2v-in-place"];

/** Where a remote source's disks are read from (as the pipeline's remoteSourceOf decides), or undefined. */
function remoteUriOf(source: { method?: string | undefined; uri?: string | undefined; remote?: { uri?: string | undefined } | undefined } | undefined): string | undefined {
  if (source?.remote?.uri !== undefined) return source.remote.uri;
  return source?.method === "libvirt" && /^[a-z]+\+ssh:\/\//i.test(source.uri ?? "") ? source.uri : undefined;
}

export function demandOf(conversion: { request: unknown; plan: unknown; dryRun: boolean }): ConversionDemand {
  const request = ZRequestShape.safeParse(conversion.request);
  const plan = ZPlanShape.safeParse(conversion.plan ?? {});
  const req = request.success ? request.data : {};
  const pl = plan.success ? plan.data : {};
  const outputMethod = pl.output?.method ?? req.output?.method;
  const tools = new Set<ToolName>(ALWAYS);
  if (!conversion.dryRun) for (const t of FULL_RUN) tools.add(t);
  if (outputMethod === "libvirt" || req.source?.method === "libvirt") tools.add("virsh");
  // A remote source's disks are served by nbdkit: its curl plugin for esx://, ssh otherwise.
  const remote = remoteUriOf(req.source);
  if (remote !== undefined) tools.add("nbdkit");
  // Networks and bridges matter only where the guest is defined on this host's libvirt:
  // -o local and -o rhev write the mapping into XML/OVF for another host to use.
  const nics = outputMethod === "libvirt" ? (pl.nics ?? []) : [];
  return {
    tools: [...tools],
    plugins: remote === undefined ? [] : [isHttpsRemote(remote) ? "curl" : "ssh"],
    pool: outputMethod === "libvirt" ? (pl.output?.storage ?? req.output?.storage) : undefined,
    networks: [...new Set(nics.filter((n) => n.to.type === "network").map((n) => n.to.name))],
    bridges: [...new Set(nics.filter((n) => n.to.type === "bridge").map((n) => n.to.name))],
  };
}

/** What an agent lacks for a demand (empty: it can run it). */
export function unmetNeeds(caps: AgentCapabilities | undefined, demand: ConversionDemand): Unmet[] {
  const found = new Set((caps?.tools ?? []).filter((t) => t.found).map((t) => t.name));
  const out: Unmet[] = demand.tools.filter((t) => !found.has(t)).map((tool) => ({ kind: "tool", tool, package: TOOLS[tool].package }));
  // Without nbdkit itself, the missing tool says it all.
  if (found.has("nbdkit")) {
    const plugins = new Set(caps?.nbdkitPlugins ?? []);
    for (const plugin of demand.plugins) if (!plugins.has(plugin)) out.push({ kind: "plugin", plugin, package: NBDKIT_PLUGIN_PACKAGE });
  }
  const needsLibvirt = demand.pool !== undefined || demand.networks.length > 0;
  if (needsLibvirt && (!caps || caps.libvirt.error)) out.push({ kind: "libvirt", error: caps?.libvirt.error ?? "the agent has not reported its libvirt host" });
  else if (caps) {
    if (demand.pool !== undefined && !caps.libvirt.pools.some((p) => p.name === demand.pool)) out.push({ kind: "pool", name: demand.pool });
    for (const n of demand.networks) if (!caps.libvirt.networks.includes(n)) out.push({ kind: "network", name: n });
  }
  for (const b of demand.bridges) if (!(caps?.libvirt.bridges ?? []).includes(b)) out.push({ kind: "bridge", name: b });
  return out;
}

/** The refusal for a pool, network or bridge the target lacks, in virt-v2v's words where it has them. */
export function describeUnmet(u: Unmet): string {
  switch (u.kind) {
    case "tool":
      return `${u.tool} is missing (Debian package ${u.package})`;
    case "plugin":
      return `nbdkit's ${u.plugin} plugin is missing (Debian package ${u.package})`;
    case "pool":
      return `Output pool ${u.name} is not a valid storage pool.`;
    case "network":
      return `Output network ${u.name} is not a valid network.`;
    case "bridge":
      return `Output bridge ${u.name} is not a host bridge.`;
    case "libvirt":
      return `libvirt is not reachable (${u.error})`;
  }
}

const key = (u: Unmet) => (u.kind === "libvirt" ? "libvirt" : `${u.kind}:${u.kind === "tool" ? u.tool : u.kind === "plugin" ? u.plugin : u.name}`);

function everyAgent(u: Unmet): string {
  switch (u.kind) {
    case "tool":
      return `${u.tool} is missing on every agent (Debian package ${u.package})`;
    case "plugin":
      return `nbdkit's ${u.plugin} plugin is missing on every agent (Debian package ${u.package})`;
    case "libvirt":
      return `libvirt is not reachable on any agent (${u.error})`;
    default:
      return `no agent has the ${u.kind === "pool" ? "storage pool" : u.kind} ${u.name} (${describeUnmet(u)})`;
  }
}

export type AgentView = { name: string; capabilities: unknown; lastHeartbeatAt: Date | null; retiredAt: Date | null };

/**
 * Why no connected agent can run this conversion, or null when one can. Agents silent past the
 * timeout do not count as connected.
 */
export function whyUnclaimable(
  conversion: { request: unknown; plan: unknown; dryRun: boolean },
  agents: readonly (Omit<AgentView, "capabilities"> & { capabilities: AgentCapabilities | undefined })[],
  options: { now?: Date; timeoutSeconds?: number } = {},
): string | null {
  const now = (options.now ?? new Date()).getTime();
  const timeoutMs = (options.timeoutSeconds ?? 60) * 1000;
  const live = agents.filter((a) => !a.retiredAt && a.lastHeartbeatAt && now - a.lastHeartbeatAt.getTime() <= timeoutMs);
  if (live.length === 0) return "No agent can run this conversion: no agent is connected";
  const demand = demandOf(conversion);
  const perAgent = live.map((a) => ({ name: a.name, unmet: unmetNeeds(a.capabilities, demand) }));
  if (perAgent.some((a) => a.unmet.length === 0)) return null;
  const common = perAgent[0]!.unmet.filter((u) => perAgent.every((a) => a.unmet.some((v) => key(v) === key(u))));
  if (common.length > 0) return `No agent can run this conversion: ${common.map((u) => everyAgent(u)).join("; ")}`;
  const parts = perAgent.map((a) => `${a.name}: ${a.unmet.map(describeUnmet).join("; ")}`);
  return `No agent can run this conversion: ${parts.join(" / ")}`;
}

/** A target (pool, network, bridge) or tool an agent lacks for a conversion: code TARGET_INVALID or MISSING_TOOLS. */
export class UnrunnableError extends Error {
  readonly code: "TARGET_INVALID" | "MISSING_TOOLS";
  readonly unmet: Unmet[];
  constructor(unmet: Unmet[]) {
    super(unmet.map(describeUnmet).join(" "));
    this.name = "UnrunnableError";
    this.code = unmet.some((u) => u.kind !== "tool" && u.kind !== "plugin") ? "TARGET_INVALID" : "MISSING_TOOLS";
    this.unmet = unmet;
  }
}

/**
 * Refuses, before anything is copied, a conversion whose plan names a pool, network or bridge
 * this agent does not have (virt-v2v's `Output pool NAME is not a valid storage pool.`). The
 * runtime calls it with the claimed plan; a pipeline that plans on the agent calls it again
 * with the fresh plan: `assertRunnable(job.capabilities, { ...job, plan })`.
 */
export function assertRunnable(caps: AgentCapabilities | undefined, conversion: { request: unknown; plan: unknown; dryRun: boolean }): void {
  const unmet = unmetNeeds(caps, demandOf(conversion));
  if (unmet.length > 0) throw new UnrunnableError(unmet);
}
