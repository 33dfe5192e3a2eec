// Target profiles (Config.pm use_profile/list_profiles and virt-v2v.pl's option handling):
// a profile's method, storage and format replace -o, -os and -of; allocation replaces -oa
// only when present.
import { ProfileError, UsageError } from "./errors.ts";
import type { ConfigFile, Profile } from "./model.ts";

export type FoundProfile = { profile: Profile; fileIndex: number; file: string; warnings: string[] };

/** The first file defining `name` wins; a file defining it twice gets virt-v2v's warning. */
export function findProfile(files: readonly ConfigFile[], name: string): FoundProfile {
  const warnings: string[] = [];
  for (const [fileIndex, config] of files.entries()) {
    const matches = config.profiles.filter((p) => p.name === name);
    if (matches.length > 1) {
      warnings.push(`Multiple profiles defined with name ${name}. Which profile is used is undefined.`);
    }
    const [profile] = matches;
    if (profile) return { profile, fileIndex, file: config.file, warnings };
  }
  throw new ProfileError("NO_PROFILE", name);
}

/** Every profile name, file order then document order, duplicates included (as virt-v2v). */
export function listProfiles(files: readonly ConfigFile[]): string[] {
  return files.flatMap((f) => f.profiles.flatMap((p) => (p.name === undefined ? [] : [p.name])));
}

/** virt-v2v's --list-profiles output. */
export function formatProfileList(files: readonly ConfigFile[]): string {
  return ["Defined target profiles:", ...listProfiles(files).map((n) => `  ${n}`)].join("\n") + "\n";
}

/** The -o, -os, -of and -oa command-line values (undefined when not given). */
export type OutputOptions = {
  method?: string | undefined;
  storage?: string | undefined;
  format?: string | undefined;
  allocation?: string | undefined;
};

export type ResolvedOutput = {
  method: string;
  storage: string;
  /** undefined = same as the source disk. */
  format: string | undefined;
  /** undefined = same as the source disk. */
  allocation: "sparse" | "preallocated" | undefined;
  profile: { name: string; file: string; fileIndex: number } | undefined;
  warnings: string[];
};

/**
 * Applies the profile (if any) over the command-line values. Quirk kept on purpose: a
 * profile's <storage> without a format attribute resets -of to "same as source".
 */
export function resolveProfile(
  files: readonly ConfigFile[],
  profileName: string | undefined,
  cli: OutputOptions = {},
): ResolvedOutput {
  let { method, storage, format, allocation } = cli;
  let found: FoundProfile | undefined;
  if (profileName !== undefined) {
    found = findProfile(files, profileName);
    const { profile } = found;
    if (profile.method === undefined) throw new ProfileError("NO_METHOD", profileName);
    if (profile.storage?.location === undefined) throw new ProfileError("NO_STORAGE", profileName);
    method = profile.method;
    storage = profile.storage.location;
    format = profile.storage.format;
    if (profile.storage.allocation !== undefined) allocation = profile.storage.allocation;
  }
  if (storage === undefined) throw new UsageError("You must specify an output storage location");
  if (allocation !== undefined && allocation !== "sparse" && allocation !== "preallocated") {
    throw new UsageError("allocation scheme must be sparse or preallocated");
  }
  return {
    method: method ?? "libvirt",
    storage,
    format,
    allocation,
    profile: found && { name: profileName as string, file: found.file, fileIndex: found.fileIndex },
    warnings: found?.warnings ?? [],
  };
}
