// What `ferry plan` knows about the output side by default, read on this host: a -o local
// directory must exist; -o libvirt: the pool's type and path (`virsh pool-dumpxml`) and the
// networks (`virsh net-list`); -o rhev: the storage domain under the mounted export path.
// The engine's fuller reader (server/engine/target.ts) replaces this one.
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { XMLParser } from "fast-xml-parser";
import type { OutputTarget, ResolvedPlanOutput } from "../../v2v/index.ts";
import { createMemoryContext, type StageContext } from "../../engine/context.ts";
import { preflight, run, type Env } from "../../engine/tools.ts";
import { ToolFailedError } from "../../engine/errors.ts";
import { tmpdir } from "node:os";

export type ReadTarget = (output: ResolvedPlanOutput) => Promise<OutputTarget>;

export type TargetErrorCode = "NO_OUTPUT_DIR" | "MULTIPLE_DOMAINS" | "NOT_ATTACHED";

/** The output cannot be written as given (virt-v2v's wording). */
export class TargetError extends Error {
  readonly code: TargetErrorCode;
  constructor(code: TargetErrorCode, message: string) {
    super(message);
    this.name = "TargetError";
    this.code = code;
  }
}

/** The default -ic/-oc: virt-v2v's, qemu:///system as root and qemu:///session otherwise. */
export function defaultLibvirtUri(): string {
  return process.getuid?.() === 0 ? "qemu:///system" : "qemu:///session";
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** A pool's type and target path from `virsh pool-dumpxml`. */
export function parsePoolXml(xml: string): { type: string; path: string } | undefined {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", processEntities: false }).parse(xml) as {
    pool?: { "@type"?: string; target?: { path?: unknown } };
  };
  const type = doc.pool?.["@type"];
  const target = doc.pool?.target?.path;
  if (typeof type !== "string" || (typeof target !== "string" && typeof target !== "number")) return undefined;
  return { type, path: String(target) };
}

async function readLibvirt(ctx: StageContext, output: ResolvedPlanOutput, env: Env | undefined): Promise<OutputTarget> {
  const uri = output.uri ?? defaultLibvirtUri();
  const virsh = preflight(["virsh"], { env }).virsh;
  const target: OutputTarget = { method: "libvirt", uri, storage: output.storage };
  try {
    const { stdout } = await run(ctx, virsh, ["-c", uri, "pool-dumpxml", "--", output.storage], { env });
    const pool = parsePoolXml(stdout);
    if (pool) target.pool = { name: output.storage, ...pool };
  } catch (error) {
    // No such pool: the planner refuses with virt-v2v's "Output pool X is not a valid storage pool."
    if (!(error instanceof ToolFailedError)) throw error;
  }
  const names = async (args: string[]): Promise<string[] | undefined> => {
    try {
      const { stdout } = await run(ctx, virsh, ["-c", uri, ...args], { env });
      return stdout.split("\n").map((l) => l.trim()).filter((l) => l !== "");
    } catch (error) {
      // E.g. a connection without a network driver: then that list is not checked.
      if (!(error instanceof ToolFailedError)) throw error;
      return undefined;
    }
  };
  target.networks = await names(["net-list", "--all", "--name"]);
  target.domains = await names(["list", "--all", "--name"]);
  return target;
}

const UUID = /^[0-9a-z]{8}-(?:[0-9a-z]{4}-){3}[0-9a-z]{12}$/;

async function readRhev(output: ResolvedPlanOutput): Promise<OutputTarget> {
  const root = output.storage;
  const target: OutputTarget = { method: "rhev", storage: root };
  if (!(await isDirectory(root))) return target;
  const domains = (await readdir(root)).filter((e) => UUID.test(e)).sort();
  if (domains.length > 1) {
    throw new TargetError("MULTIPLE_DOMAINS", `${root} contains multiple possible domains. It may only contain one.`);
  }
  const [domain] = domains;
  if (domain === undefined) return target;
  const vms = path.join(domain, "master", "vms");
  if (!(await isDirectory(path.join(root, vms)))) {
    throw new TargetError("NOT_ATTACHED", `${root} has not been attached to a RHEV data center (${vms} does not exist).`);
  }
  target.rhevDomain = domain;
  return target;
}

export function createDefaultReadTarget(options: { env?: Env; ctx?: StageContext } = {}): ReadTarget {
  return async (output) => {
    if (output.method === "local") {
      if (!(await isDirectory(output.storage))) {
        throw new TargetError("NO_OUTPUT_DIR", `-os ${output.storage}: output directory does not exist or is not a directory`);
      }
      return { method: "local", storage: output.storage };
    }
    if (output.method === "rhev") return readRhev(output);
    const ctx = options.ctx ?? createMemoryContext({ scratchDir: tmpdir() });
    return readLibvirt(ctx, output, options.env);
  };
}
