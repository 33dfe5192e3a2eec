// planConversion: everything a conversion will do, decided before anything is copied
// (reference §1.3, §1.4, §2.3, §3.2-3.7): the output resolved from -p/-o/-os/-of/-oa, every
// NIC's mapping, every disk's copy, the drivers and the software that makes them possible
// (missing files fail here), the transfer ISO and the output guest (domain XML or RHEV OVF).
// Pure and deterministic: target facts, disk sizes, file existence, UUIDs and the clock come in.
import { PLAN_VERSION, type ConversionPlan, type MeasuredDisk, type OutputTarget } from "./conversion-plan.ts";
import type { SourceGuest } from "./domain-xml.ts";
import type { GuestFacts } from "./guest-facts.ts";
import { joinPath } from "./match.ts";
import type { ConfigFile } from "./model.ts";
import { buildDomainXml, outputFeatures } from "./output-domain.ts";
import { buildOvf, defaultVmType } from "./ovf.ts";
import { decideDrivers } from "./plan-drivers.ts";
import { planDisks } from "./plan-disks.ts";
import { planNics } from "./plan-nics.ts";
import { PlanError } from "./plan-errors.ts";
import { resolvePlanOutput, type ResolvedPlanOutput } from "./plan-output.ts";
import { findProfile } from "./profile.ts";
import type { SoftwarePlanInput } from "./software-plan.ts";
import { transferIsoContents } from "./transfer-iso.ts";

export type PlanOptions = {
  profile?: string | undefined;
  /** -of / -oa as typed (a profile replaces them). */
  format?: string | undefined;
  allocation?: string | undefined;
  /** -n/--network and -b/--bridge values, repeatable (Perl `NAME` and 2.x `IN:OUT` forms). */
  network?: readonly string[] | undefined;
  bridge?: readonly string[] | undefined;
  /** -on: the output guest's name. */
  outputName?: string | undefined;
  /** rhev --vmtype; default: desktop for Windows XP, server otherwise. */
  vmType?: "server" | "desktop" | undefined;
};

export type PlanInput = {
  /** Configuration layers in search order (-f order; the vendor db last). */
  files: readonly ConfigFile[];
  guest: SourceGuest;
  facts: GuestFacts;
  /** One per guest.disks, same order (qemu-img info on the agent). */
  disks: readonly MeasuredDisk[];
  /** Facts about the resolved output (method and storage as resolvePlanOutput gave them). */
  target: OutputTarget;
  options: PlanOptions;
  exists: (hostPath: string) => boolean;
  /** Replaces every file's <path-root> for relative app paths (a software repository). */
  softwareRoot?: string | undefined;
  rpmInfo?: SoftwarePlanInput["rpmInfo"];
  /** UUIDs (rhev): called for the VM first, then image and volume for each disk in plan order. */
  newId: () => string;
  /** Seconds since the epoch for RHEV's creation dates; default: the current time. */
  now?: (() => number) | undefined;
  /** The libvirt domain type; kvm unless the host can only run qemu (tests). */
  domainType?: "kvm" | "qemu" | undefined;
};

function resolveOutput(input: PlanInput): ResolvedPlanOutput {
  const { target, options } = input;
  const resolved = resolvePlanOutput(input.files, {
    profile: options.profile,
    method: target.method,
    storage: target.storage,
    uri: target.uri,
    format: options.format,
    allocation: options.allocation,
  });
  // The engine read the target after resolving the same options: a mismatch is a caller bug.
  if (resolved.method !== target.method || resolved.storage !== target.storage) {
    throw new PlanError(
      "INVALID_OUTPUT_METHOD",
      `the target facts are for -o ${target.method} -os ${target.storage}, but the plan resolves to -o ${resolved.method} -os ${resolved.storage}`,
    );
  }
  return resolved;
}

export function planConversion(input: PlanInput): ConversionPlan {
  const { files, guest, facts, target, options } = input;
  if (facts.os === "unknown" || facts.os === "") {
    throw new PlanError("NO_OS", "No root device found in this operating system image.");
  }
  const output = resolveOutput(input);
  const warnings = [...output.warnings, ...guest.warnings.map((w) => `${w.file}:${w.line}:${w.column}: ${w.message}`)];
  const now = Math.floor((input.now ?? (() => Date.now() / 1000))());
  const name = options.outputName ?? guest.name;
  // virt-v2v checks this before it copies anything (reference §3.2 step 2).
  if (output.method === "libvirt" && target.domains?.includes(name)) {
    throw new PlanError("DOMAIN_EXISTS", `Domain ${name} already exists on the target.`);
  }

  const decision = decideDrivers({
    files,
    facts,
    exists: input.exists,
    softwareRoot: input.softwareRoot,
    rpmInfo: input.rpmInfo,
    sourceArch: guest.os.arch,
  });
  warnings.push(...decision.warnings);

  const profile = output.profile ? findProfile(files, output.profile.name).profile : undefined;
  const nics = planNics({
    files,
    profile,
    profileFile: output.profile?.file,
    network: options.network,
    bridge: options.bridge,
    nics: guest.nics,
    target,
    model: decision.drivers.net,
    warnings,
  });

  const vmId = output.method === "rhev" ? input.newId() : undefined;
  const disks = planDisks({
    disks: guest.disks,
    measured: input.disks,
    output,
    target,
    outputName: name,
    bus: decision.drivers.block,
    newId: input.newId,
    now,
    warnings,
  });

  const plan: ConversionPlan = {
    version: PLAN_VERSION,
    guest: { name: guest.name, sourceType: guest.type, memoryKiB: guest.memoryKiB, vcpus: guest.vcpus, arch: decision.arch, facts },
    output: {
      method: output.method,
      ...(output.uri === undefined ? {} : { uri: output.uri }),
      storage: output.storage,
      format: disks[0]?.format ?? output.format ?? "raw",
      allocation: disks[0]?.allocation ?? output.allocation ?? "sparse",
      ...(output.profile ? { profile: output.profile } : {}),
      name,
      formatFrom: output.formatFrom,
      allocationFrom: output.allocationFrom,
    },
    disks,
    nics,
    drivers: decision.drivers,
    software: decision.software,
    ...(decision.windows ? { windows: decision.windows } : {}),
    transferIso: transferIsoContents(files, input.exists, { softwareRoot: input.softwareRoot }),
    config: files.map((f) => ({ file: f.file })),
    warnings,
  };

  if (output.method === "rhev") {
    const domain = target.rhevDomain as string;
    plan.output.rhevDomain = domain;
    const id = vmId as string;
    const xml = buildOvf({
      vmId: id,
      storageDomain: domain,
      name,
      memoryKiB: guest.memoryKiB,
      vcpus: guest.vcpus,
      facts,
      vmType: options.vmType ?? defaultVmType(facts),
      disks,
      nics,
      now,
      warnings,
    });
    const dir = joinPath(joinPath(joinPath(joinPath(output.storage, domain), "master"), "vms"), id);
    plan.ovf = { vmId: id, xml, path: joinPath(dir, `${id}.ovf`) };
    return plan;
  }

  const domainType = input.domainType ?? "kvm";
  plan.output.domainType = domainType;
  if (output.method === "libvirt") plan.output.pool = target.pool;
  else plan.output.xmlPath = joinPath(output.storage, `${name}.xml`);
  plan.domainXml = buildDomainXml(
    {
      domainType,
      name,
      memoryKiB: guest.memoryKiB,
      vcpus: guest.vcpus,
      arch: decision.arch,
      features: outputFeatures(guest.features, decision.acpi, warnings),
      display: decision.display,
      graphics: guest.graphics[0],
      disks,
      removables: guest.removables,
      nics,
      bus: decision.drivers.block,
    },
    warnings,
  );
  return plan;
}
