// ferry plan: what a conversion would do, as virt-v2v would decide it, printed as JSON
// (the output domain XML or RHEV OVF as a string inside). Reads the source (domain XML file
// or `virsh dumpxml`), measures its disks with qemu-img info, reads the target's facts, and
// hands everything to the core's planConversion.
import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import {
  DomainXmlError,
  V2vError,
  parseGuestFacts,
  planConversion,
  resolvePlanOutput,
  type GuestFacts,
  type MeasuredDisk,
  type SourceDisk,
} from "../../v2v/index.ts";
import { createMemoryContext, type StageContext } from "../../engine/context.ts";
import { imageInfo } from "../../engine/copy.ts";
import { CancelledError, MissingToolsError, ToolFailedError } from "../../engine/errors.ts";
import { SourceError, readSource, type SourceInput } from "../../engine/source.ts";
import { parseOptions } from "../args.ts";
import type { Command } from "../command.ts";
import { CliUsageError, EXIT_FAILURE, EXIT_OK, type CliIo } from "../io.ts";
import { loadConfigs } from "../load-configs.ts";
import { V2V_OPTIONS, normalizePlanArgs } from "./plan-args.ts";
import { createDefaultReadTarget, defaultLibvirtUri, type ReadTarget } from "./plan-target.ts";
import { OutputError } from "../../engine/target.ts";
import { InspectionOutputError, MultiBootError, NoOperatingSystemError, inspectGuest } from "../../engine/inspect.ts";

/** Inspection of the source disks, read-only (virt-inspector: server/engine/inspect.ts). */
export type InspectGuest = (ctx: StageContext, disks: readonly MeasuredDisk[]) => Promise<GuestFacts>;

/** How big and in which format a source disk is (qemu-img info by default). */
export type MeasureDisk = (ctx: StageContext, disk: SourceDisk) => Promise<MeasuredDisk>;

export type PlanCommandDeps = {
  readTarget: ReadTarget;
  inspect: InspectGuest;
  measure: MeasureDisk;
};

const defaultInspection: InspectGuest = (ctx, disks) => inspectGuest(ctx, disks.map((d) => ({ path: d.path, format: d.format })));

/** A source disk qemu-img cannot read on this host (remote disks are read by the engine). */
export class DiskMeasureError extends Error {
  readonly code = "DISK_UNREADABLE";
  constructor(disk: SourceDisk, reason: string) {
    super(`Unable to read disk ${disk.target} (${disk.path}) on this host: ${reason}`);
    this.name = "DiskMeasureError";
  }
}

const measureWithQemuImg: MeasureDisk = async (ctx, disk) => {
  try {
    const info = await imageInfo(ctx, disk.path, disk.format);
    return { path: disk.path, format: info.format, virtualSize: info.virtualSize, actualSize: info.actualSize };
  } catch (error) {
    if (!(error instanceof ToolFailedError)) throw error;
    throw new DiskMeasureError(disk, error.stderrTail || error.message);
  }
};

const USAGE = [
  "ferry plan -f FILE [-f FILE ...] (-i libvirtxml FILE | [-i libvirt] [-ic URI] GUEST)",
  "           [-o libvirt|local|rhev] [-oc URI] [-os STORAGE] [-of raw|qcow2] [-oa sparse|preallocated]",
  "           [-on NAME] [-p PROFILE] [-n NETWORK ...] [-b BRIDGE ...]",
  "           [--guest FACTS.json] [--software-root DIR] [--vmtype server|desktop] [--domain-type kvm|qemu]",
  "",
  "Prints the conversion plan as one JSON object: output, disks (source, name, path, format,",
  "allocation, size), NICs (old -> new and the rule that decided), drivers and why, the",
  "software plan, the transfer ISO's contents, and the output domain XML (libvirt, local) or",
  "RHEV OVF (rhev). -p replaces -o/-os/-of/-oa; -n/-b take NAME (every unmapped NIC) or IN:OUT.",
  "-os is a libvirt pool, an existing directory (local) or a mounted export domain (rhev).",
  "--guest gives the guest's facts (server/v2v/README.md) instead of inspecting its disks.",
  "Warnings go to stderr; a refusal exits 1 with virt-v2v's message.",
].join("\n");

function readFacts(path: string, io: CliIo): GuestFacts | undefined {
  let json: unknown;
  try {
    json = JSON.parse(io.readFile(path));
  } catch (error) {
    io.stderr(`${path}: ${error instanceof Error ? error.message : String(error)}\n`);
    return undefined;
  }
  const facts = parseGuestFacts(json);
  if (facts.ok) return facts.facts;
  io.stderr(facts.problems.map((p) => `${path}: ${p}\n`).join(""));
  return undefined;
}

export function sourceInput(method: string, positionals: string[], uri: string | undefined, io: CliIo): SourceInput {
  const [first, ...extra] = positionals;
  if (method === "libvirtxml") {
    if (first === undefined) throw new CliUsageError("You must specify a filename");
    if (extra.length) io.stderr("warning: libvirtxml only takes a single filename.\n");
    return { method: "libvirtxml", file: first };
  }
  if (method === "libvirt") {
    if (first === undefined) throw new CliUsageError("You must specify a guest");
    if (extra.length) io.stderr("warning: libvirt only takes a single domain name.\n");
    return { method: "libvirt", uri: uri ?? defaultLibvirtUri(), guest: first };
  }
  throw new CliUsageError(`${method} is not a valid input method.`);
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new CliUsageError(`${flag} must be ${allowed.join(" or ")}`);
  return value as T;
}

/** Errors that are the user's to fix: printed as they are, exit 1. */
export function isExpected(error: unknown): error is Error {
  return (
    error instanceof V2vError ||
    error instanceof SourceError ||
    error instanceof OutputError ||
    error instanceof NoOperatingSystemError ||
    error instanceof MultiBootError ||
    error instanceof InspectionOutputError ||
    error instanceof ToolFailedError ||
    error instanceof MissingToolsError ||
    error instanceof CancelledError ||
    error instanceof DiskMeasureError ||
    (error instanceof Error && "code" in error && (error.code === "ENOENT" || error.code === "EACCES"))
  );
}

export function createPlanCommand(deps: Partial<PlanCommandDeps> = {}): Command {
  const readTarget = deps.readTarget ?? createDefaultReadTarget();
  const inspect = deps.inspect ?? defaultInspection;
  const measure = deps.measure ?? measureWithQemuImg;
  return {
    name: "plan",
    summary: "show what a conversion would do (dry run), as JSON",
    usage: USAGE,
    async run(args, io) {
      const { values, positionals } = parseOptions(
        normalizePlanArgs(args),
        { ...V2V_OPTIONS, guest: { type: "string" } },
        true,
      );
      const vmType = oneOf(values.vmtype, ["server", "desktop"], "--vmtype");
      const domainType = oneOf(values["domain-type"], ["kvm", "qemu"], "--domain-type");
      const files = loadConfigs(values.config, io);
      const source = sourceInput(values.input ?? "libvirt", positionals, values.ic, io);
      const ctx = createMemoryContext({ scratchDir: tmpdir() });
      try {
        // A profile decides -o/-os: resolve before reading anything about the target.
        const output = resolvePlanOutput(files, {
          profile: values.profile,
          method: values.output,
          storage: values.os ?? values.op,
          format: values.of,
          allocation: values.oa,
          uri: values.oc,
        });
        if (output.method === "libvirt" && output.uri === undefined) output.uri = defaultLibvirtUri();
        const { guest } = await readSource(ctx, source);
        const disks: MeasuredDisk[] = [];
        for (const disk of guest.disks) disks.push(await measure(ctx, disk));
        let facts: GuestFacts;
        if (values.guest !== undefined) {
          const read = readFacts(values.guest, io);
          if (!read) return EXIT_FAILURE;
          facts = read;
        } else facts = await inspect(ctx, disks);
        const target = await readTarget(output);
        const plan = planConversion({
          files,
          guest,
          facts,
          disks,
          target,
          options: {
            profile: values.profile,
            format: values.of,
            allocation: values.oa,
            network: values.network,
            bridge: values.bridge,
            outputName: values.on,
            vmType,
          },
          exists: (p) => io.readable(p),
          softwareRoot: values["software-root"],
          newId: randomUUID,
          domainType,
        });
        io.stdout(`${JSON.stringify(plan)}\n`);
        for (const w of plan.warnings) io.stderr(`warning: ${w}\n`);
        return EXIT_OK;
      } catch (error) {
        if (!isExpected(error)) throw error;
        io.stderr(`${error instanceof DomainXmlError ? error.format() : error.message}\n`);
        return EXIT_FAILURE;
      }
    },
  };
}

export const planCommand = createPlanCommand();
