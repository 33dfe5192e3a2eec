// What an agent can do, as it reports it: the tools it found (with versions, or missing with
// their Debian package), the nbdkit plugins remote sources need, free space in its scratch dir, its concurrency limit, and the libvirt
// storage pools, networks and host bridges it sees. The console matches conversions against it.
import { statfs } from "node:fs/promises";
import { z } from "zod";
import { findRemotePlugins } from "../engine/nbdkit-disks.ts";
import { readHostCapabilities } from "../engine/target.ts";
import { findTools, quietContext, TOOL_NAMES, type ToolName } from "../engine/tools.ts";

export const ZToolCapability = z.object({
  name: z.enum(TOOL_NAMES as [ToolName, ...ToolName[]]),
  package: z.string(),
  found: z.boolean(),
  version: z.string().optional(),
});

export const ZHostCapabilities = z.object({
  uri: z.string(),
  pools: z.array(z.object({ name: z.string(), active: z.boolean().optional() })),
  networks: z.array(z.string()),
  bridges: z.array(z.string()),
  /** libvirt could not be asked (no daemon, no permission): pools and networks are unknown. */
  error: z.string().optional(),
});

export const ZAgentCapabilities = z.object({
  tools: z.array(ZToolCapability),
  scratch: z.object({ dir: z.string(), freeBytes: z.number().nullable() }),
  concurrency: z.number().int().min(1),
  libvirt: ZHostCapabilities,
  /** nbdkit plugins for remote sources it loads (ssh, curl); absent from agents older than the field. */
  nbdkitPlugins: z.array(z.string()).optional(),
  collectedAt: z.string(),
});

export type ToolCapability = z.infer<typeof ZToolCapability>;
export type HostCapabilities = z.infer<typeof ZHostCapabilities>;
export type AgentCapabilities = z.infer<typeof ZAgentCapabilities>;

export const DEFAULT_LIBVIRT_URI = "qemu:///system";

/** The engine's view of the libvirt host, in the shape agents report (pools by name and state). */
async function readLibvirt(uri: string, scratchDir: string): Promise<HostCapabilities> {
  const host = await readHostCapabilities(quietContext(AbortSignal.timeout(20_000)), { uri, scratchDir });
  const pools = host.pools.map((p) => ({ name: p.name, active: p.active }));
  if (host.libvirtError !== undefined) return { uri, pools, networks: host.networks, bridges: host.bridges, error: `libvirt at ${uri}: ${host.libvirtError}` };
  return { uri, pools, networks: host.networks, bridges: host.bridges };
}

async function freeBytes(dir: string): Promise<number | null> {
  try {
    const st = await statfs(dir);
    return Number(st.bavail) * Number(st.bsize);
  } catch {
    return null;
  }
}

/** Collects this host's capabilities (spawns the tools' --version, nbdkit --dump-plugin and virsh). */
export async function readCapabilities(options: { scratchDir: string; concurrency: number; libvirtUri?: string | undefined }): Promise<AgentCapabilities> {
  const uri = options.libvirtUri ?? DEFAULT_LIBVIRT_URI;
  const [tools, plugins, free, libvirt] = await Promise.all([
    findTools(),
    findRemotePlugins(),
    freeBytes(options.scratchDir),
    readLibvirt(uri, options.scratchDir).catch(
      (e: unknown): HostCapabilities => ({ uri, pools: [], networks: [], bridges: [], error: e instanceof Error ? e.message : String(e) }),
    ),
  ]);
  return {
    tools: tools.map((t) => (t.found ? { name: t.name, package: t.package, found: true, ...(t.version ? { version: t.version } : {}) } : { name: t.name, package: t.package, found: false })),
    scratch: { dir: options.scratchDir, freeBytes: free },
    concurrency: options.concurrency,
    libvirt,
    nbdkitPlugins: plugins,
    collectedAt: new Date().toISOString(),
  };
}

/** Capabilities as stored in the agents row (JSON from an older agent may lack fields). */
export function storedCapabilities(value: unknown): AgentCapabilities | undefined {
  const parsed = ZAgentCapabilities.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export { assertRunnable, demandOf, describeUnmet, unmetNeeds, UnrunnableError, whyUnclaimable, type ConversionDemand, type Unmet } from "./matching.ts";
