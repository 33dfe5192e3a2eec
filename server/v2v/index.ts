// The virt-v2v core: configuration model and parsing, the matching ladder, rpm versions,
// network and profile resolution, software plans and the transfer ISO list. Pure and
// deterministic: no I/O, files come in as strings and existence checks as functions.
export * from "./errors.ts";
export * from "./model.ts";
export { parseConfig } from "./parse-config.ts";
export { serializeConfig, serializeNetworkMapping, serializeNetworkTarget } from "./serialize-config.ts";
export * from "./match.ts";
export * from "./network-map.ts";
export * from "./profile.ts";
export * from "./guest-facts.ts";
export * from "./software-plan.ts";
export * from "./transfer-iso.ts";
export * from "./rpm-version.ts";
export * from "./domain-xml.ts";
export * from "./xml-guard.ts";
export * from "./conversion-plan.ts";
export * from "./plan.ts";
export * from "./plan-errors.ts";
export * from "./plan-output.ts";
export { decideDrivers, UNCONVERTIBLE_WARNING, type DriverDecision, type DriverInput, type WindowsApps } from "./plan-drivers.ts";
export { planDisks, sortedDiskIndexes, driveLetters, rhevMeta, type DiskPlanInput } from "./plan-disks.ts";
export { planNics, type NicPlanInput } from "./plan-nics.ts";
export { buildDomainXml, outputFeatures, type OutputDomainInput } from "./output-domain.ts";
export { buildOvf, rhevOsType, defaultVmType, type OvfInput } from "./ovf.ts";
