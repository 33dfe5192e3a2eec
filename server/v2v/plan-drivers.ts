// Which drivers the output guest gets, as virt-v2v's converters decide (reference §2.3, §3.3,
// §3.4, §3.5): Linux gets virtio block and network when the `virtio` capability is satisfied
// or installable from the configuration, IDE and e1000 otherwise; Windows gets virtio when
// its `virtio` app (a driver folder) is there, IDE and rtl8139 otherwise; an OS no converter
// handles gets IDE and rtl8139 on x86_64.
import type { DriverChoice } from "./conversion-plan.ts";
import { GuestFactsError, NoMatchError } from "./errors.ts";
import type { GuestFacts } from "./guest-facts.ts";
import { joinPath, resolveAppPath, tryMatchApp, formatSearch, type MatchQuery } from "./match.ts";
import type { ConfigFile } from "./model.ts";
import { PlanError } from "./plan-errors.ts";
import { kernelArchFor, missingSoftwareError, planSoftware, type SoftwarePlan, type SoftwarePlanInput } from "./software-plan.ts";

export type DriverInput = {
  files: readonly ConfigFile[];
  facts: GuestFacts;
  exists: (hostPath: string) => boolean;
  softwareRoot?: string | undefined;
  rpmInfo?: SoftwarePlanInput["rpmInfo"];
  /** The source XML's os/type/@arch, used when inspection found none. */
  sourceArch?: string | undefined;
};

export type WindowsApps = { virtio?: string | undefined; rhsrvany?: string | undefined; firstboot?: string | undefined };

export type DriverDecision = {
  drivers: DriverChoice;
  software: SoftwarePlan | null;
  windows: WindowsApps | undefined;
  /** The output guest's architecture (32-bit x86 is i686, as libvirt names it). */
  arch: string;
  acpi: boolean;
  /** The display virt-v2v gives the guest: qxl + spice, or cirrus + vnc (SUSE). */
  display: { video: "qxl" | "cirrus"; graphics: "spice" | "vnc" };
  warnings: string[];
};

const SUSE = new Set(["sles", "suse-based", "opensuse"]);

export const UNCONVERTIBLE_WARNING =
  "Unable to convert this guest operating system. Its storage will be transfered and a domain created for it, " +
  "but it may not operate correctly without manual reconfiguration. The domain will present all storage devices as ide, " +
  "all network interfaces as rtl8139 and the host as x86_64.";

/** libvirt's name for the guest arch: i386..i686 and i586 are all i686 there. */
function libvirtArch(arch: string | undefined): string {
  if (arch === undefined || arch === "") return "x86_64";
  return /^i[3456]86$/.test(arch) ? "i686" : arch;
}

function kernelWords(k: NonNullable<SoftwarePlan["kernel"]>): string {
  const version = k.version === null ? "the latest version" : `${k.version}${k.release ? `-${k.release}` : ""}`;
  return `kernel package ${k.name} ${version} (${k.arch})${k.replaces ? ` replacing ${k.replaces}` : ""}`;
}

function linux(input: DriverInput): DriverDecision {
  const { facts } = input;
  const warnings: string[] = [];
  const display = facts.distro !== undefined && SUSE.has(facts.distro)
    ? { video: "cirrus" as const, graphics: "vnc" as const }
    : { video: "qxl" as const, graphics: "spice" as const };
  // guestcaps arch: the boot kernel's (a replacement kernel's when one is installed).
  const kernelArch = facts.kernel?.arch ?? facts.arch ?? input.sourceArch;
  const base = {
    windows: undefined,
    acpi: !(facts.distro === "rhel" && facts.major === "3" && kernelArch === "x86_64"),
    display,
    warnings,
  };
  let software: SoftwarePlan;
  try {
    software = planSoftware({ ...input, capability: "virtio" });
  } catch (error) {
    if (error instanceof GuestFactsError || !(error instanceof NoMatchError)) throw error;
    // virt-v2v prints the failure as a warning and converts without virtio.
    warnings.push(error.message);
    return {
      ...base,
      drivers: { block: "ide", net: "e1000", reason: `the virtio capability cannot be installed: ${error.message}` },
      software: null,
      arch: libvirtArch(kernelArch === undefined ? undefined : kernelArchFor(kernelArch, facts.distro)),
    };
  }
  const missing = missingSoftwareError(software);
  if (missing) throw missing;
  const arch = libvirtArch(software.kernel?.arch ?? (kernelArch === undefined ? undefined : kernelArchFor(kernelArch, facts.distro)));
  const where = `${software.capability.file}, rung ${software.capability.rung}`;
  let reason: string;
  if (software.satisfied) {
    reason = `the virtio capability (${where}) is already satisfied by the guest`;
  } else {
    const parts = [
      ...(software.kernel ? [kernelWords(software.kernel)] : []),
      ...(software.install.length ? [`install ${software.install.join(", ")}`] : []),
      ...(software.upgrade.length ? [`upgrade ${software.upgrade.join(", ")}`] : []),
    ];
    reason = `the virtio capability (${where}) is installable: ${parts.join("; ")}`;
  }
  return { ...base, drivers: { block: "virtio", net: "virtio", reason }, software, arch };
}

/** A Windows app's host path, or undefined when no element matches (no match is not fatal). */
function windowsApp(input: DriverInput, query: MatchQuery): { path: string; hostPath: string } | undefined {
  const m = tryMatchApp(input.files, query);
  if (!m) return undefined;
  const root = input.softwareRoot ?? input.files[m.fileIndex]?.pathRoot;
  return { path: m.element.path, hostPath: resolveAppPath(m.element.path, root) };
}

function windows(input: DriverInput): DriverDecision {
  const { facts } = input;
  const warnings: string[] = [];
  const query = { os: "windows", major: facts.major, minor: facts.minor, arch: facts.arch };
  const apps: WindowsApps = {};

  const rhsrvany = windowsApp(input, { ...query, name: "rhsrvany" });
  if (!rhsrvany) {
    warnings.push("Unable to configure firstboot service because rhsrvany is not defined in the configuration file");
  } else if (!input.exists(rhsrvany.hostPath)) {
    throw new PlanError(
      "WINDOWS_SOFTWARE_MISSING",
      `Unable to configure firstboot service because ${rhsrvany.path} is required, but missing`,
    );
  } else apps.rhsrvany = rhsrvany.hostPath;

  const firstboot = windowsApp(input, { ...query, name: "firstboot" });
  if (firstboot && !input.exists(firstboot.hostPath)) {
    throw new PlanError(
      "WINDOWS_SOFTWARE_MISSING",
      `Unable to configure firstboot service because ${firstboot.path} is required, but missing`,
    );
  }
  if (firstboot) apps.firstboot = firstboot.hostPath;

  const virtioQuery = { ...query, name: "virtio" };
  const virtio = windowsApp(input, virtioQuery);
  let block: DriverChoice["block"] = "ide";
  let net: DriverChoice["net"] = "rtl8139";
  let reason: string;
  if (!virtio) {
    const message = `No app in config matches ${formatSearch(virtioQuery)}`;
    warnings.push(`${message}. The guest will use IDE and rtl8139.`);
    reason = `no virtio driver folder is configured for this guest: ${message}`;
  } else if (!input.exists(virtio.hostPath)) {
    // The brief of issue 5: a configured but missing driver folder fails the plan.
    throw new PlanError(
      "WINDOWS_SOFTWARE_MISSING",
      "The installation of virtio drivers failed because the driver path referenced in the configuration " +
        `file (${virtio.path}) is required, but missing.`,
    );
  } else {
    apps.virtio = virtio.hostPath;
    const found: string[] = [];
    if (input.exists(joinPath(virtio.hostPath, "viostor.sys"))) {
      block = "virtio";
      found.push("viostor.sys");
    } else {
      warnings.push(`There is no viostor.sys in ${virtio.path}: the guest's disks will be IDE.`);
    }
    if (input.exists(joinPath(virtio.hostPath, "netkvm.inf"))) {
      net = "virtio";
      found.push("netkvm.inf");
    } else {
      warnings.push(`There is no virtio network driver (netkvm.inf) in ${virtio.path}: the guest's NICs will be rtl8139.`);
    }
    reason = found.length
      ? `the virtio driver folder ${virtio.path} has ${found.join(" and ")}`
      : `the virtio driver folder ${virtio.path} has neither viostor.sys nor netkvm.inf`;
  }
  return {
    drivers: { block, net, reason },
    software: null,
    windows: apps,
    arch: libvirtArch(facts.arch ?? input.sourceArch),
    acpi: true,
    display: { video: "qxl", graphics: "spice" },
    warnings,
  };
}

export function decideDrivers(input: DriverInput): DriverDecision {
  if (input.facts.os === "linux") return linux(input);
  if (input.facts.os === "windows") return windows(input);
  return {
    drivers: { block: "ide", net: "rtl8139", reason: `no converter handles a ${input.facts.os} guest` },
    software: null,
    windows: undefined,
    arch: "x86_64",
    acpi: true,
    display: { video: "qxl", graphics: "spice" },
    warnings: [UNCONVERTIBLE_WARNING],
  };
}
