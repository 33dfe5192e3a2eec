// What the three output methods share: the prepared state (plain data, so an agent that
// restarts can still clean up), the result, cancellation checks, and a context for cleanup
// that still runs programs after the stage's own signal was aborted.
import { rm } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { XMLParser } from "fast-xml-parser";
import type { ConversionPlan, OutputMethod, PlannedDisk } from "../v2v/index.ts";
import { LineIndex } from "../v2v/xml-options.ts";
import { TOOL_XML_LIMITS, guardXml } from "../v2v/xml-guard.ts";
import type { StageContext } from "./context.ts";
import { CancelledError } from "./errors.ts";
import { pathExists } from "./paths.ts";
import { OUTPUT_STAGE, OutputError } from "./target.ts";
import type { Env } from "./tools.ts";

export type OutputOptions = { env?: Env | undefined };

/** One output volume: where the copy stage writes it, and whether it was there before. */
export type PreparedVolume = {
  index: number;
  name: string;
  path: string;
  /** Existed before this conversion: the copy stage reuses it, cleanup never removes it. */
  existed: boolean;
};

export type PreparedOutput = {
  method: OutputMethod;
  /** The output guest's name (the domain XML's <name>, or the plan's for rhev). */
  name: string;
  volumes: PreparedVolume[];
  /** Directories this stage created (rhev image directories), removed on cleanup. */
  createdDirs: string[];
  libvirt?: { uri: string; pool: { name: string; type: string; path: string } } | undefined;
  local?: { xmlPath: string; xmlExisted: boolean } | undefined;
  rhev?: { domainDir: string; ovfDir: string; ovfPath: string; chown: boolean } | undefined;
};

export type OutputResult = {
  method: OutputMethod;
  name: string;
  volumes: { name: string; path: string; reused: boolean }[];
  /** libvirt: the connection the domain was defined on. */
  uri?: string | undefined;
  /** local: DIR/NAME.xml. */
  xmlPath?: string | undefined;
  /** rhev: the OVF and the .meta files written. */
  ovfPath?: string | undefined;
  metaPaths?: string[] | undefined;
};

export function checkCancelled(ctx: StageContext, what: string): void {
  if (ctx.signal.aborted) throw new CancelledError(what);
}

/**
 * Cleanup runs because the stage failed or was cancelled, so it must not inherit an aborted
 * signal; it gets a minute of its own.
 */
export function cleanupContext(ctx: StageContext): StageContext {
  return { ...ctx, signal: AbortSignal.timeout(60_000) };
}

export { pathExists };

const domainParser = new XMLParser({ ignoreAttributes: true, processEntities: false, parseTagValue: false });

/**
 * The guest name the output XML defines. Not the core's parseDomainXml: that reads *source*
 * guests and refuses what only an output has (e.g. 2.x's `<disk type='volume'>`). libvirt
 * checks the rest when it defines the domain.
 */
export function domainXmlName(plan: ConversionPlan, method: OutputMethod): { xml: string; name: string } {
  const xml = plan.domainXml;
  if (!xml) throw new OutputError("BAD_PLAN", `The plan has no domain XML for -o ${method}.`);
  const lines = new LineIndex(xml);
  const problem = guardXml(xml, TOOL_XML_LIMITS, (offset) => lines.at(offset));
  if (problem) {
    const at = lines.at(problem.offset);
    throw new OutputError("BAD_PLAN", `The plan's output domain XML is not well-formed (line ${at.line}, column ${at.column}): ${problem.message}`);
  }
  const name = (domainParser.parse(xml) as { domain?: { name?: unknown } }).domain?.name;
  if (typeof name !== "string" || name.trim() === "") throw new OutputError("BAD_PLAN", "The plan's output domain XML has no <domain><name>.");
  return { xml, name: name.trim() };
}

/** Every disk must be written into `dir` (the pool's or -os directory). */
export function checkDisksIn(disks: readonly PlannedDisk[], dir: string, where: string): void {
  if (disks.length === 0) throw new OutputError("BAD_PLAN", "The plan has no disks to write.");
  for (const disk of disks) {
    if (dirname(resolve(disk.targetPath)) !== resolve(dir)) {
      throw new OutputError("BAD_PLAN", `Disk ${disk.name}: the plan writes ${disk.targetPath}, which is not in ${where} (${dir}).`);
    }
  }
}

export async function prepareVolumes(disks: readonly PlannedDisk[]): Promise<PreparedVolume[]> {
  const volumes: PreparedVolume[] = [];
  for (const disk of disks) {
    volumes.push({ index: disk.index, name: disk.name, path: disk.targetPath, existed: await pathExists(disk.targetPath) });
  }
  return volumes;
}

/** Removes the volumes this conversion created (never one it reused), logging each. */
export async function removeCreatedFiles(ctx: StageContext, volumes: readonly PreparedVolume[], message: (v: PreparedVolume) => string): Promise<void> {
  for (const volume of volumes) {
    if (volume.existed || !(await pathExists(volume.path))) continue;
    ctx.log("info", message(volume), OUTPUT_STAGE);
    await rm(volume.path, { force: true });
  }
}

export function result(prepared: PreparedOutput): OutputResult {
  return {
    method: prepared.method,
    name: prepared.name,
    volumes: prepared.volumes.map((v) => ({ name: v.name, path: v.path, reused: v.existed })),
  };
}
