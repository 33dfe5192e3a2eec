// The output side of a plan before anything is read from the target: -p over -o/-os/-of/-oa
// (virt-v2v.pl's order, via resolveProfile), the method checked, and where each default
// comes from. The engine calls this first: which pool or directory to read facts about
// depends on the profile.
import type { OutputMethod } from "./conversion-plan.ts";
import { PlanError } from "./plan-errors.ts";
import { findProfile, resolveProfile, type OutputOptions } from "./profile.ts";
import type { ConfigFile } from "./model.ts";

export type OutputFormat = "raw" | "qcow2";
export type OutputAllocation = "sparse" | "preallocated";

/** -o, -oc, -os, -of, -oa as typed, and -p. */
export type PlanOutputOptions = OutputOptions & { profile?: string | undefined; uri?: string | undefined };

/** Where a format or allocation came from: the command line, the profile, or the source disk. */
export type OutputValueSource = "cli" | "profile" | "source";

export type ResolvedPlanOutput = {
  method: OutputMethod;
  /** -oc (libvirt only); undefined = the engine's default connection. */
  uri: string | undefined;
  storage: string;
  /** undefined: the same as each source disk (virt-v2v 0.9.1's default for -of). */
  format: OutputFormat | undefined;
  formatFrom: OutputValueSource;
  /** undefined: the same as each source disk (virt-v2v 0.9.1's default for -oa). */
  allocation: OutputAllocation | undefined;
  allocationFrom: OutputValueSource;
  profile: { name: string; file: string } | undefined;
  warnings: string[];
};

const METHODS: readonly OutputMethod[] = ["libvirt", "local", "rhev"];

export function isOutputFormat(format: string): format is OutputFormat {
  return format === "raw" || format === "qcow2";
}

/** virt-v2v dies when the output would be anything but raw or qcow2. */
export function unsupportedFormatError(format: string): PlanError {
  return new PlanError(
    "INVALID_OUTPUT_FORMAT",
    `Output format ${format} is not supported: we only support creation of raw and qcow2 volumes. Use -of raw or -of qcow2.`,
  );
}

/**
 * Resolves the output: ProfileError / UsageError as resolveProfile throws them
 * (`There is no profile named X`, `You must specify an output storage location`, ...),
 * PlanError for a method other than libvirt, local, rhev or a format other than raw, qcow2.
 */
export function resolvePlanOutput(files: readonly ConfigFile[], options: PlanOutputOptions): ResolvedPlanOutput {
  const { profile: profileName, uri, ...cli } = options;
  const resolved = resolveProfile(files, profileName, cli);
  const method = resolved.method;
  if (!(METHODS as readonly string[]).includes(method)) {
    throw new PlanError("INVALID_OUTPUT_METHOD", `${method} is not a valid output method.`);
  }
  if (resolved.format !== undefined && !isOutputFormat(resolved.format)) throw unsupportedFormatError(resolved.format);
  const fromProfile = resolved.profile !== undefined;
  const allocationInProfile =
    profileName !== undefined && findProfile(files, profileName).profile.storage?.allocation !== undefined;
  return {
    method: method as OutputMethod,
    uri: method === "libvirt" ? uri : undefined,
    storage: resolved.storage,
    format: resolved.format as OutputFormat | undefined,
    // A profile decides -of even when its <storage> has no format (then: same as source).
    formatFrom: resolved.format === undefined ? "source" : fromProfile ? "profile" : "cli",
    allocation: resolved.allocation,
    allocationFrom: resolved.allocation === undefined ? "source" : allocationInProfile ? "profile" : "cli",
    profile: resolved.profile && { name: resolved.profile.name, file: resolved.profile.file },
    warnings: resolved.warnings,
  };
}
