// Every NIC's mapping (network-map.ts, with the rule and layer that produced it), checked
// against the networks and bridges the target has, so a mapping to something the target
// lacks is refused before any copy.
import type { DriverChoice, OutputTarget, PlannedNic } from "./conversion-plan.ts";
import type { SourceNic } from "./domain-xml.ts";
import type { ConfigFile, Profile } from "./model.ts";
import { createNetworkContext, mapNetwork, type NetworkMappingResult } from "./network-map.ts";
import { PlanError } from "./plan-errors.ts";

export type NicPlanInput = {
  files: readonly ConfigFile[];
  profile: Profile | undefined;
  /** The layer the profile came from: named for mappings the profile made. */
  profileFile?: string | undefined;
  network?: readonly string[] | undefined;
  bridge?: readonly string[] | undefined;
  nics: readonly SourceNic[];
  target: OutputTarget;
  model: DriverChoice["net"];
  warnings: string[];
};

const RULE_WORDS: Record<NetworkMappingResult["rule"], string> = {
  "cli-mapping": "a --network/--bridge IN:OUT option",
  profile: "a mapping in the profile",
  config: "a mapping in the configuration",
  default: "the default mapping",
  "cli-type-default": "a --network/--bridge :OUT option",
  invalid: "an invalid mapping (left unchanged)",
  unmapped: "no mapping (left unchanged)",
};

function describeRule(r: NetworkMappingResult): string {
  const source = r.defaultSource === "cli" ? " from --network/--bridge" : r.defaultSource === "profile" ? " of the profile" : "";
  return `${RULE_WORDS[r.rule]}${source}${r.file ? ` (${r.file})` : ""}`;
}

function checkTarget(r: NetworkMappingResult, nic: SourceNic, target: OutputTarget): void {
  const { to } = r;
  const list = to.type === "network" ? target.networks : to.type === "bridge" ? target.bridges : undefined;
  if (list === undefined || list.includes(to.name)) return;
  const where = target.uri ? ` ${target.uri}` : "";
  const what = `${nic.type} interface ${r.from.name}${nic.mac ? ` (MAC ${nic.mac})` : ""}`;
  throw new PlanError(
    to.type === "network" ? "UNKNOWN_NETWORK" : "UNKNOWN_BRIDGE",
    `The target${where} has no ${to.type} ${to.name}: the ${what} is mapped to it by ${describeRule(r)}. ` +
      `${to.type === "network" ? "Networks" : "Bridges"} on the target: ${list.length ? list.join(", ") : "none"}.`,
  );
}

export function planNics(input: NicPlanInput): PlannedNic[] {
  const ctx = createNetworkContext(input.files, {
    profile: input.profile,
    cli: { network: input.network ?? [], bridge: input.bridge ?? [] },
  });
  input.warnings.push(...ctx.warnings);
  return input.nics.map((nic) => {
    const r = mapNetwork(ctx, { type: nic.type, name: nic.source ?? "" });
    input.warnings.push(...r.warnings);
    // The profile's own mappings live in the profile's layer.
    const fromProfile = r.rule === "profile" || (r.rule === "default" && r.defaultSource === "profile");
    if (fromProfile && input.profileFile !== undefined) r.file = input.profileFile;
    checkTarget(r, nic, input.target);
    return {
      mac: nic.mac,
      from: r.from,
      to: r.to,
      rule: r.rule,
      ...(r.defaultSource === undefined ? {} : { defaultSource: r.defaultSource }),
      ...(r.file === undefined ? {} : { file: r.file }),
      model: input.model,
    };
  });
}
