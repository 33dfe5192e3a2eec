// Typed errors of the virt-v2v core. Callers classify them with instanceof and `code`,
// never by message text; messages keep virt-v2v's own wording where it has one.

export type SourcePos = { line: number; column: number };

export type ConfigIssue = { file: string; line: number; column: number; message: string };

export function formatIssue(issue: ConfigIssue): string {
  return `${issue.file}:${issue.line}:${issue.column}: ${issue.message}`;
}

export class V2vError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "V2vError";
    this.code = code;
  }
}

/** A configuration file that cannot be used. `issues` holds every error found, first one first. */
export class ConfigParseError extends V2vError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly issues: ConfigIssue[];
  constructor(issues: [ConfigIssue, ...ConfigIssue[]]) {
    const first = issues[0];
    super("CONFIG_PARSE", first.message);
    this.name = "ConfigParseError";
    this.file = first.file;
    this.line = first.line;
    this.column = first.column;
    this.issues = issues;
  }
  /** `FILE:LINE:COL: message` lines, one per issue. */
  format(): string {
    return this.issues.map(formatIssue).join("\n");
  }
}

export type MatchKind = "app" | "capability";

/** No element of any file matched the search (virt-v2v's wording). */
export class NoMatchError extends V2vError {
  readonly kind: MatchKind;
  readonly search: string;
  constructor(kind: MatchKind, search: string, noConfig: boolean) {
    super(
      "NO_MATCH",
      noConfig
        ? `No config specified. No ${kind} match for ${search}.`
        : `No ${kind} in config matches ${search}`,
    );
    this.name = "NoMatchError";
    this.kind = kind;
    this.search = search;
  }
}

/** Files the software plan needs that are not on the host; paths as written in the config. */
export class MissingSoftwareError extends V2vError {
  readonly paths: string[];
  constructor(paths: string[]) {
    super(
      "MISSING_SOFTWARE",
      "Installation failed because the following files referenced in the configuration file " +
        `are required, but missing: ${paths.join(" ")}`,
    );
    this.name = "MissingSoftwareError";
    this.paths = paths;
  }
}

export type ProfileErrorCode = "NO_PROFILE" | "NO_METHOD" | "NO_STORAGE";

export class ProfileError extends V2vError {
  readonly profile: string;
  constructor(code: ProfileErrorCode, profile: string) {
    const message =
      code === "NO_PROFILE"
        ? `There is no profile named ${profile}`
        : code === "NO_METHOD"
          ? `Profile ${profile} doesn't specify an output method.`
          : `Profile ${profile} doesn't specify output storage.`;
    super(code, message);
    this.name = "ProfileError";
    this.profile = profile;
  }
}

/** A fatal network configuration problem (virt-v2v dies on these). */
export class NetworkConfigError extends V2vError {
  constructor(message: string) {
    super("NETWORK_CONFIG", message);
    this.name = "NetworkConfigError";
  }
}

/** Option values that virt-v2v rejects as usage errors (exit 1 there). */
export class UsageError extends V2vError {
  constructor(message: string) {
    super("USAGE", message);
    this.name = "UsageError";
  }
}

/** Guest facts that cannot be planned for (e.g. no kernel architecture at all). */
export class GuestFactsError extends V2vError {
  constructor(message: string) {
    super("GUEST_FACTS", message);
    this.name = "GuestFactsError";
  }
}
