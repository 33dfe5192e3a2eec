// Network mapping (Config.pm map_network + virt-v2v.pl's --network/--bridge handling), with
// the 2.x `in:out` form as an extension. Every NIC gets a result saying which rule applied.
import { NetworkConfigError, UsageError } from "./errors.ts";
import type { ConfigFile, NetworkMapping, NetworkTarget, Profile } from "./model.ts";
import { serializeNetworkMapping, serializeNetworkTarget } from "./serialize-config.ts";

/** A NIC as the source libvirt XML gives it: interface/@type and source/@network|@bridge. */
export type Nic = { type: string; name: string };

/** Values of repeated --network/-n and --bridge/-b options, as typed. */
export type NetworkOptions = { network?: readonly string[]; bridge?: readonly string[] };

type NicType = "network" | "bridge";

export type ParsedNetworkOptions = {
  /** Perl form `--network NAME` / `--bridge NAME`: every unmapped NIC, of either type, goes there. */
  perlDefault: Nic | undefined;
  /** 2.x form `:out` / `out:`: the default for NICs of that type only; the type is kept. */
  typedDefault: Partial<Record<NicType, string>>;
  /** 2.x form `in:out`: NICs of that type named `in` go to `out`; the type is kept. */
  maps: Record<NicType, Map<string, string>>;
};

export function parseNetworkOptions(options: NetworkOptions): ParsedNetworkOptions {
  const parsed: ParsedNetworkOptions = {
    perlDefault: undefined,
    typedDefault: {},
    maps: { network: new Map(), bridge: new Map() },
  };
  const plain: Partial<Record<NicType, string>> = {};
  for (const type of ["network", "bridge"] as const) {
    const flag = type === "network" ? "-n/--network" : "-b/--bridge";
    for (const value of (type === "network" ? options.network : options.bridge) ?? []) {
      const colon = value.indexOf(":");
      if (value === "" || value === ":") throw new UsageError(`invalid ${flag} parameter`);
      if (colon === -1) {
        if (plain[type] !== undefined) throw new UsageError(`--${type} may only be specified once`);
        if (parsed.typedDefault[type] !== undefined) {
          throw new UsageError(`duplicate ${flag} parameter.  Only one default mapping is allowed.`);
        }
        plain[type] = value;
        continue;
      }
      const from = value.slice(0, colon);
      const to = value.slice(colon + 1);
      if (from === "" || to === "") {
        if (parsed.typedDefault[type] !== undefined || plain[type] !== undefined) {
          throw new UsageError(`duplicate ${flag} parameter.  Only one default mapping is allowed.`);
        }
        parsed.typedDefault[type] = from === "" ? to : from;
        continue;
      }
      if (parsed.maps[type].has(from)) {
        throw new UsageError(`duplicate ${flag} parameter.  Duplicate mappings specified for ${type} ${from}.`);
      }
      parsed.maps[type].set(from, to);
    }
  }
  if (plain.network !== undefined && plain.bridge !== undefined) {
    throw new UsageError("--network and --bridge are mutually exclusive");
  }
  if (plain.network !== undefined) parsed.perlDefault = { type: "network", name: plain.network };
  if (plain.bridge !== undefined) parsed.perlDefault = { type: "bridge", name: plain.bridge };
  return parsed;
}

export type DefaultSource = "config" | "cli" | "profile";

export type NetworkContext = {
  files: readonly ConfigFile[];
  profile: Profile | undefined;
  cli: ParsedNetworkOptions;
  /** virt-v2v's single default mapping after load, --network/--bridge, then the profile. */
  default: { target: Nic; source: DefaultSource; file?: string } | undefined;
  /** Warnings raised while establishing the default (virt-v2v prints them once). */
  warnings: string[];
};

function defaultOf(mapping: NetworkMapping, warnings: string[]): Nic | undefined {
  const target = mapping.target;
  if (!target) throw new NetworkConfigError(`Default network doesn't contain a mapping: ${serializeNetworkMapping(mapping)}.`);
  if (target.type === undefined || target.name === undefined) {
    warnings.push(`Invalid network mapping: ${serializeNetworkMapping(mapping)}`);
    return undefined;
  }
  return { type: target.type, name: target.name };
}

/**
 * Establishes the default mapping in virt-v2v.pl's order: the first top-level
 * <network type='default'> across files, then --network/--bridge, then the profile's own
 * default (so a profile default beats --network). Throws NetworkConfigError for a default
 * without a mapping, UsageError for bad options.
 */
export function createNetworkContext(
  files: readonly ConfigFile[],
  options: { profile?: Profile | undefined; cli?: NetworkOptions } = {},
): NetworkContext {
  const warnings: string[] = [];
  const cli = parseNetworkOptions(options.cli ?? {});
  let current: NetworkContext["default"];
  for (const config of files) {
    const mapping = config.networks.find((n) => n.type === "default");
    if (!mapping) continue;
    const target = defaultOf(mapping, warnings);
    if (target) current = { target, source: "config", file: config.file };
    break;
  }
  if (cli.perlDefault) current = { target: cli.perlDefault, source: "cli" };
  const profileDefault = options.profile?.networks.find((n) => n.type === "default");
  if (profileDefault) {
    const target = defaultOf(profileDefault, warnings);
    if (target) current = { target, source: "profile" };
  }
  return { files, profile: options.profile, cli, default: current, warnings };
}

export type NetworkRule =
  | "cli-mapping" // 2.x in:out
  | "profile" // a specific mapping in the selected profile
  | "config" // a specific top-level mapping in a file
  | "default" // the default mapping (see defaultSource)
  | "cli-type-default" // 2.x :out for this NIC type
  | "invalid" // a specific mapping without type or name: NIC unchanged
  | "unmapped"; // nothing applies: NIC unchanged

export type NetworkMappingResult = {
  from: Nic;
  to: Nic;
  changed: boolean;
  rule: NetworkRule;
  defaultSource?: DefaultSource;
  /** The file holding the mapping used (rule "config"/"profile", or a config default). */
  file?: string;
  warnings: string[];
};

function result(from: Nic, to: Nic, rule: NetworkRule, extra: Partial<NetworkMappingResult> = {}): NetworkMappingResult {
  return { from, to, changed: from.type !== to.type || from.name !== to.name, rule, warnings: [], ...extra };
}

function findSpecific(
  roots: { networks: NetworkMapping[]; file?: string; rule: "profile" | "config" }[],
  nic: Nic,
): { target: NetworkTarget; file?: string; rule: "profile" | "config" } | undefined {
  for (const root of roots) {
    for (const mapping of root.networks) {
      if (mapping.type === nic.type && mapping.name === nic.name && mapping.target) {
        return { target: mapping.target, file: root.file, rule: root.rule };
      }
    }
  }
  return undefined;
}

/** Where one source NIC goes, and why. */
export function mapNetwork(ctx: NetworkContext, nic: Nic): NetworkMappingResult {
  const nicType = nic.type === "network" || nic.type === "bridge" ? nic.type : undefined;
  const cliTarget = nicType ? ctx.cli.maps[nicType].get(nic.name) : undefined;
  if (nicType && cliTarget !== undefined) return result(nic, { type: nicType, name: cliTarget }, "cli-mapping");

  const roots = [
    ...(ctx.profile ? [{ networks: ctx.profile.networks, rule: "profile" as const }] : []),
    ...ctx.files.map((f) => ({ networks: f.networks, file: f.file, rule: "config" as const })),
  ];
  const specific = findSpecific(roots, nic);
  if (specific) {
    const { target } = specific;
    const file = specific.file === undefined ? {} : { file: specific.file };
    if (target.type === undefined || target.name === undefined) {
      return result(nic, nic, "invalid", {
        ...file,
        warnings: [`Invalid network mapping in config: ${serializeNetworkTarget(target)}.`],
      });
    }
    const warnings =
      target.type === "network" || target.type === "bridge"
        ? []
        : [`Unknown interface type ${target.type} in network mapping: ${serializeNetworkTarget(target)}`];
    return result(nic, { type: target.type, name: target.name }, specific.rule, { ...file, warnings });
  }

  // A profile default replaces everything before it; a 2.x typed default beats Perl's.
  const typed = nicType ? ctx.cli.typedDefault[nicType] : undefined;
  if (nicType && typed !== undefined && ctx.default?.source !== "profile") {
    return result(nic, { type: nicType, name: typed }, "cli-type-default");
  }
  if (ctx.default) {
    const extra = ctx.default.file === undefined ? {} : { file: ctx.default.file };
    return result(nic, ctx.default.target, "default", { defaultSource: ctx.default.source, ...extra });
  }
  return result(nic, nic, "unmapped", {
    warnings: [
      `No mapping found for ${nic.type} interface ${nic.name} in config file. ` +
        "The converted guest may not start until its network interface is updated.",
    ],
  });
}
