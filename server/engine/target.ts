// Facts about the output side, read on the agent host before planning and before the copy:
// the libvirt pool (type, directory), networks and host bridges; the -o local directory; the
// RHEV export domain's storage-domain directory. Refusals use virt-v2v's wording.
import { readdir, stat, statfs } from "node:fs/promises";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { TOOL_XML_LIMITS, guardXml } from "../v2v/xml-guard.ts";
import { LineIndex } from "../v2v/xml-options.ts";
import type { OutputMethod, OutputTarget } from "../v2v/index.ts";
import type { StageContext } from "./context.ts";
import { preflight, run, type Env } from "./tools.ts";

export const OUTPUT_STAGE = "output";

export type OutputErrorCode =
  | "INVALID_POOL" // -os names no pool on the -oc connection
  | "POOL_INACTIVE" // the pool exists but is not started
  | "UNSUPPORTED_POOL" // volumes of this pool type are not files
  | "NO_OUTPUT_DIR" // -o local: -os is not a directory
  | "NO_EXPORT_DOMAIN" // -o rhev: -os is not a directory
  | "NO_STORAGE_DOMAIN" // -o rhev: no storage-domain UUID directory
  | "MULTIPLE_STORAGE_DOMAINS" // -o rhev: more than one
  | "NOT_ATTACHED" // -o rhev: no master/vms
  | "DOMAIN_EXISTS" // -o libvirt: a domain of that name is defined
  | "OVF_EXISTS" // -o rhev: master/vms/UUID exists already
  | "BAD_PLAN"; // the plan does not fit the target (paths outside the pool, no XML, ...)

/** The output cannot be written as asked; classify with instanceof and `code`. */
export class OutputError extends Error {
  readonly code: OutputErrorCode;
  constructor(code: OutputErrorCode, message: string) {
    super(message);
    this.name = "OutputError";
    this.code = code;
  }
}

/** virt-v2v's default -oc: the system daemon as root, the user's session otherwise. */
export function defaultLibvirtUri(): string {
  return process.getuid?.() === 0 ? "qemu:///system" : "qemu:///session";
}

/** Pool types whose volumes are plain files in the pool's target directory. */
export const FILE_POOL_TYPES: readonly string[] = ["dir", "fs", "netfs"];

export type PoolInfo = { name: string; type: string; path: string; active: boolean };

export type VirshOptions = { env?: Env | undefined };

/** `virsh -c URI ARGS...` through `run` (cancellable); its stdout. */
export async function virsh(ctx: StageContext, uri: string, args: string[], options: VirshOptions): Promise<string> {
  const path = preflight(["virsh"], { env: options.env }).virsh;
  return (await run(ctx, path, ["-c", uri, ...args], { env: options.env })).stdout;
}

/** virsh `--name` listings: one name a line. */
export function names(output: string): string[] {
  return output
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

// Pool XML comes from the local libvirtd: small, trusted enough; entities stay unexpanded.
const poolParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", processEntities: false, parseTagValue: false });

function parsePoolXml(xml: string): { type: string; path: string } {
  const lines = new LineIndex(xml);
  const problem = guardXml(xml, TOOL_XML_LIMITS, (offset) => lines.at(offset));
  if (problem) {
    const at = lines.at(problem.offset);
    throw new OutputError("INVALID_POOL", `virsh pool-dumpxml printed XML that cannot be read (line ${at.line}, column ${at.column}): ${problem.message}`);
  }
  const doc = poolParser.parse(xml) as { pool?: { "@type"?: string; target?: { path?: unknown } } };
  const path = doc.pool?.target?.path;
  return { type: doc.pool?.["@type"] ?? "", path: typeof path === "string" ? path.trim() : "" };
}

/** Every pool on the connection with its type, target directory and whether it is started. */
export async function listPools(ctx: StageContext, uri: string, options: VirshOptions = {}): Promise<PoolInfo[]> {
  const all = names(await virsh(ctx, uri, ["pool-list", "--all", "--name"], options));
  const active = new Set(names(await virsh(ctx, uri, ["pool-list", "--name"], options)));
  const pools: PoolInfo[] = [];
  for (const name of all) {
    const { type, path } = parsePoolXml(await virsh(ctx, uri, ["pool-dumpxml", "--", name], options));
    pools.push({ name, type, path, active: active.has(name) });
  }
  return pools;
}

/** The pool named `-os`, or virt-v2v's `Output pool NAME is not a valid storage pool.` */
export async function readPool(ctx: StageContext, uri: string, name: string, options: VirshOptions = {}): Promise<PoolInfo> {
  // Listing rather than reading virsh's error text: a missing pool and a daemon that is down
  // both exit 1, and only the first is this refusal.
  const all = names(await virsh(ctx, uri, ["pool-list", "--all", "--name"], options));
  if (!all.includes(name)) throw new OutputError("INVALID_POOL", `Output pool ${name} is not a valid storage pool.`);
  const active = names(await virsh(ctx, uri, ["pool-list", "--name"], options)).includes(name);
  const { type, path } = parsePoolXml(await virsh(ctx, uri, ["pool-dumpxml", "--", name], options));
  return { name, type, path, active };
}

/** Host bridges: the interfaces with a `bridge` directory in sysfs (the agent host's). */
export async function hostBridges(sysClassNet = "/sys/class/net"): Promise<string[]> {
  let entries: string[];
  try {
    // Ignored by the console's bundler: a runtime path (sysfs), not a project file to trace.
    entries = await readdir(/*turbopackIgnore: true*/ sysClassNet);
  } catch {
    return [];
  }
  const bridges: string[] = [];
  for (const entry of entries.sort()) {
    if (await isDirectory(join(sysClassNet, entry, "bridge"))) bridges.push(entry);
  }
  return bridges;
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** How Perl virt-v2v recognised a storage-domain directory in an export domain. */
const UUID_DIR = /^[0-9a-z]{8}-(?:[0-9a-z]{4}-){3}[0-9a-z]{12}$/;

/** The one storage-domain UUID directory under a mounted export domain, attached to a data center. */
export async function findStorageDomain(path: string): Promise<string> {
  if (!(await isDirectory(path))) {
    throw new OutputError("NO_EXPORT_DOMAIN", `-os ${path}: the export domain is not mounted there (no such directory). Mount it first.`);
  }
  const domains: string[] = [];
  for (const entry of (await readdir(path)).sort()) {
    if (UUID_DIR.test(entry) && (await isDirectory(join(path, entry)))) domains.push(entry);
  }
  if (domains.length > 1) {
    throw new OutputError("MULTIPLE_STORAGE_DOMAINS", `${path} contains multiple possible domains. It may only contain one.`);
  }
  const [domain] = domains;
  if (domain === undefined) {
    throw new OutputError("NO_STORAGE_DOMAIN", `${path} does not contain an initialised storage domain.`);
  }
  const vms = join(domain, "master", "vms");
  if (!(await isDirectory(join(path, vms)))) {
    throw new OutputError("NOT_ATTACHED", `${path} has not been attached to a RHEV data center (${vms} does not exist).`);
  }
  return domain;
}

export type TargetInput = { method: OutputMethod; uri?: string | undefined; storage: string };

/** What the planner needs to know about the output (pool, networks, bridges, storage domain). */
export async function readOutputTarget(ctx: StageContext, input: TargetInput, options: VirshOptions = {}): Promise<OutputTarget> {
  if (input.method === "local") {
    if (!(await isDirectory(input.storage))) {
      throw new OutputError("NO_OUTPUT_DIR", `-os ${input.storage}: output directory does not exist or is not a directory`);
    }
    return { method: "local", storage: input.storage };
  }
  if (input.method === "rhev") {
    return { method: "rhev", storage: input.storage, rhevDomain: await findStorageDomain(input.storage) };
  }
  const uri = input.uri ?? defaultLibvirtUri();
  const pool = await readPool(ctx, uri, input.storage, options);
  const networks = names(await virsh(ctx, uri, ["net-list", "--all", "--name"], options));
  // The planner refuses `Domain NAME already exists on the target.` before anything is copied.
  const domains = names(await virsh(ctx, uri, ["list", "--all", "--name"], options));
  return {
    method: "libvirt",
    uri,
    storage: input.storage,
    pool: { name: pool.name, type: pool.type, path: pool.path },
    networks,
    bridges: await hostBridges(),
    domains,
  };
}

export type HostCapabilities = {
  /** The connection read (-oc default when not given). */
  uri: string;
  pools: PoolInfo[];
  networks: string[];
  bridges: string[];
  freeScratchBytes: number;
  /** Why pools and networks are empty: virsh missing or the daemon not answering. */
  libvirtError?: string | undefined;
};

/**
 * What an agent reports about its host. A host without libvirt can still write -o local and
 * -o rhev, so a libvirt failure is reported in `libvirtError`, not thrown.
 */
export async function readHostCapabilities(
  ctx: StageContext,
  input: { uri?: string | undefined; scratchDir: string },
  options: VirshOptions = {},
): Promise<HostCapabilities> {
  const uri = input.uri ?? defaultLibvirtUri();
  const fs = await statfs(input.scratchDir);
  const base = { uri, bridges: await hostBridges(), freeScratchBytes: Number(fs.bavail) * Number(fs.bsize) };
  try {
    const pools = await listPools(ctx, uri, options);
    const networks = names(await virsh(ctx, uri, ["net-list", "--all", "--name"], options));
    return { ...base, pools, networks };
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return { ...base, pools: [], networks: [], libvirtError: error instanceof Error ? error.message : String(error) };
  }
}
