// The virt-v2v.conf model. Absent attributes are `undefined` (the matching ladder depends on
// absence), present-but-empty ones are "". Each list keeps document order. `at` is where the
// element starts in its file (absent for configurations built in code).
import type { ConfigIssue, SourcePos } from "./errors.ts";

export type { SourcePos };

export type ConfigWarning = ConfigIssue;

/** The attributes the ladder compares. */
export type MatchAttrs = {
  name: string | undefined;
  os: string | undefined;
  distro: string | undefined;
  major: string | undefined;
  minor: string | undefined;
  arch: string | undefined;
};

export type CapabilityDep = {
  name: string;
  /** As written; validated as [epoch:]version[-release] at parse time. */
  minversion: string | undefined;
  /** The raw attribute; only "yes" and "1" mean true (see isIfInstalled). */
  ifinstalled: string | undefined;
  at?: SourcePos;
};

export type Capability = MatchAttrs & { deps: CapabilityDep[]; at?: SourcePos };

export type App = MatchAttrs & {
  /** Trimmed text of <path>: absolute, or relative to the file's <path-root>. */
  path: string;
  /** Names of other apps (text of each <dep>). */
  deps: string[];
  at?: SourcePos;
};

export type NetworkTarget = { type: string | undefined; name: string | undefined; at?: SourcePos };

/** <network type name><network type name/></network>: source (type, name) -> target. */
export type NetworkMapping = {
  type: string | undefined;
  name: string | undefined;
  target: NetworkTarget | undefined;
  at?: SourcePos;
};

export type Storage = {
  /** Trimmed text: a pool name (libvirt) or host:/path (rhev). */
  location: string | undefined;
  format: string | undefined;
  allocation: string | undefined;
  at?: SourcePos;
};

export type Profile = {
  name: string | undefined;
  method: string | undefined;
  storage: Storage | undefined;
  networks: NetworkMapping[];
  at?: SourcePos;
};

export type ConfigFile = {
  /** How the caller names the file (a -f argument, a layer name); used in messages. */
  file: string;
  pathRoot: string | undefined;
  isoPath: string | undefined;
  profiles: Profile[];
  networks: NetworkMapping[];
  capabilities: Capability[];
  apps: App[];
  warnings: ConfigWarning[];
};

export function isIfInstalled(dep: CapabilityDep): boolean {
  return dep.ifinstalled === "yes" || dep.ifinstalled === "1";
}

export function emptyConfig(file: string): ConfigFile {
  return {
    file,
    pathRoot: undefined,
    isoPath: undefined,
    profiles: [],
    networks: [],
    capabilities: [],
    apps: [],
    warnings: [],
  };
}
