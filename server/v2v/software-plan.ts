// What virt-v2v would install for a capability (Converter/Linux.pm _install_capability and
// _install_config), computed offline: packages to install or upgrade, the replacement
// kernel, the app files required (kernel first) and the ones missing on the host.
// The i386 counterpart of an x86_64 package is needed only when an i386 instance of the
// package is installed (the man page's rule; 0.9.1 HEAD dropped that check by mistake).
import { GuestFactsError, MissingSoftwareError } from "./errors.ts";
import type { BootKernel, GuestFacts, InstalledPackage } from "./guest-facts.ts";
import { isIfInstalled, type App, type CapabilityDep, type ConfigFile } from "./model.ts";
import { matchApp, matchCapability, resolveAppPath, tryMatchApp, type MatchQuery, type MatchResult, type Rung } from "./match.ts";
import { compareEvr, parseEvr, type Evr } from "./rpm-version.ts";

export type RpmNevra = { name: string; epoch: string | null; version: string; release: string | null; arch: string };

export type SoftwarePlanInput = {
  files: readonly ConfigFile[];
  facts: GuestFacts;
  capability: string;
  /** Whether a host path is readable (the transfer ISO only carries readable files). */
  exists: (hostPath: string) => boolean;
  /** Where relative app paths are looked up instead of each file's <path-root>. */
  softwareRoot?: string | undefined;
  /** The header of a local RPM (rpm -qp); defaults to reading name-version-release.arch.rpm. */
  rpmInfo?: (hostPath: string, app: App) => RpmNevra | undefined;
};

export type PlannedKernel = {
  name: string;
  arch: string;
  /** null version: the latest available; otherwise the same version as the Xen kernel. */
  epoch: string | null;
  version: string | null;
  release: string | null;
  /** The Xen kernel package this one replaces, if any. */
  replaces: string | null;
};

export type PlannedFile = {
  app: string;
  arch: string | null;
  /** As written in the config (what the transfer ISO holds, what messages show). */
  path: string;
  hostPath: string;
  file: string;
  rung: Rung;
  kernel: boolean;
  missing: boolean;
};

export type SoftwarePlan = {
  capability: { name: string; file: string; rung: Rung };
  /** Nothing to install: the capability is already met. */
  satisfied: boolean;
  install: string[];
  upgrade: string[];
  kernel: PlannedKernel | null;
  files: PlannedFile[];
  /** Config paths of required files the host lacks, kernel first; non-empty = the plan fails. */
  missing: string[];
  /** ifinstalled deps left alone because the guest does not have them. */
  skipped: string[];
};

const RHEL_FAMILY = new Set(["rhel", "centos", "scientificlinux", "redhat-based", "oraclelinux"]);
const SUSE_FAMILY = new Set(["sles", "suse-based", "opensuse"]);
const TEN_GIB_IN_KIB = 10 * 1024 * 1024;

/** The kernel arch virt-v2v searches apps with: 32-bit x86 is i686 (RHEL, Fedora) or i586 (SUSE). */
export function kernelArchFor(arch: string, distro: string | undefined): string {
  if (/^i[3456]86$/.test(arch)) return distro !== undefined && SUSE_FAMILY.has(distro) ? "i586" : "i686";
  return arch;
}

/** virt-v2v's choice of a non-Xen kernel package to replace a Xen one. */
export function replacementKernelName(
  facts: Pick<GuestFacts, "distro" | "major" | "memoryKiB" | "vcpus">,
  kernelArch: string,
): string {
  const { distro, major } = facts;
  const bigMemory = (facts.memoryKiB ?? 0) > TEN_GIB_IN_KIB;
  const cpus = facts.vcpus ?? 1;
  const is32 = kernelArch === "i686" || kernelArch === "i586";
  if (distro !== undefined && RHEL_FAMILY.has(distro)) {
    if (major === "5") return kernelArch === "i686" ? "kernel-PAE" : "kernel";
    if (major === "4") {
      if (kernelArch === "i686") return bigMemory ? "kernel-hugemem" : cpus > 1 ? "kernel-smp" : "kernel";
      return cpus > 8 ? "kernel-largesmp" : cpus > 1 ? "kernel-smp" : "kernel";
    }
    return "kernel";
  }
  if (distro === "sles" || distro === "suse-based") {
    if (major === "11") return is32 && bigMemory ? "kernel-pae" : "kernel-default";
    if (major === "10") {
      if (is32) return bigMemory ? "kernel-bigsmp" : cpus > 1 ? "kernel-smp" : "kernel-default";
      return cpus > 1 ? "kernel-smp" : "kernel-default";
    }
    return "kernel-default";
  }
  if (distro === "opensuse") return "kernel-default";
  return "kernel";
}

/** name-version-release.arch.rpm, the way RPM files are named. */
export function nevraFromFileName(path: string): RpmNevra | undefined {
  const base = path.slice(path.lastIndexOf("/") + 1);
  const m = /^(.+)-([^-]+)-([^-]+)\.([^.]+)\.rpm$/.exec(base);
  if (!m) return undefined;
  return { name: m[1] ?? "", epoch: null, version: m[2] ?? "", release: m[3] ?? "", arch: m[4] ?? "" };
}

const evrOf = (p: { epoch: string | null; version: string; release: string | null }): Evr => ({
  epoch: p.epoch,
  version: p.version,
  release: p.release,
});

const is32bitX86 = (arch: string | null): boolean => arch !== null && /^i[3456]86$/.test(arch);

/** The capability's deps once each, in document order; a repeated name takes the last values. */
function uniqueDeps(deps: readonly CapabilityDep[]): CapabilityDep[] {
  const byName = new Map<string, CapabilityDep>();
  for (const dep of deps) {
    if (byName.has(dep.name)) byName.set(dep.name, { ...dep, at: byName.get(dep.name)?.at });
    else byName.set(dep.name, dep);
  }
  return [...byName.values()];
}

function planKernel(facts: GuestFacts, min: Evr | undefined): PlannedKernel | null {
  const boot: BootKernel | undefined = facts.kernel;
  const rawArch = boot?.arch ?? facts.arch;
  if (rawArch === undefined || rawArch === null) {
    throw new GuestFactsError("Unable to determine a kernel architecture for this guest.");
  }
  const arch = kernelArchFor(rawArch, facts.distro);
  const atLeast = (evr: Evr): boolean => min === undefined || compareEvr(evr, min) >= 0;
  const latest = (name: string, replaces: string | null): PlannedKernel => ({
    name,
    arch,
    epoch: null,
    version: null,
    release: null,
    replaces,
  });

  if (!boot) return min === undefined ? null : latest("kernel", null);
  if (!boot.xen) return atLeast(evrOf(boot)) ? null : latest(boot.name, null);

  const name = replacementKernelName(facts, arch);
  const installed = facts.packages.filter((p) => p.name === name && (p.arch === null || p.arch === arch));
  if (installed.some((p) => atLeast(evrOf(p)))) return null;
  // The same version as the Xen kernel, without its xen/xenU release suffix, if that is new enough.
  const release = boot.release === null ? null : boot.release.replace(/^(\S+?)(xen)?(U)?$/, "$1");
  const same: Evr = { epoch: boot.epoch, version: boot.version, release };
  if (atLeast(same)) return { name, arch, ...same, replaces: boot.name };
  return latest(name, boot.name);
}

/** Plans the capability. Throws NoMatchError (capability or a needed app not in config). */
export function planSoftware(input: SoftwarePlanInput): SoftwarePlan {
  const { facts, files } = input;
  const base: Omit<MatchQuery, "name"> = {
    os: facts.os,
    distro: facts.os === "linux" ? facts.distro : undefined,
    major: facts.major,
    minor: facts.minor,
  };
  const cap = matchCapability(files, { ...base, name: input.capability });

  const install: string[] = [];
  const upgrade: string[] = [];
  const skipped: string[] = [];
  let kernel: PlannedKernel | null = null;
  for (const dep of uniqueDeps(cap.element.deps)) {
    const min = dep.minversion === undefined ? undefined : parseEvr(dep.minversion);
    if (dep.name === "kernel") {
      kernel = planKernel(facts, min);
      continue;
    }
    const installed = facts.packages.filter((p) => p.name === dep.name);
    if (installed.length === 0 && isIfInstalled(dep)) {
      skipped.push(dep.name);
      continue;
    }
    const ok = installed.some((p) => min === undefined || compareEvr(evrOf(p), min) >= 0);
    if (!ok) (installed.length === 0 ? install : upgrade).push(dep.name);
  }

  const plan: SoftwarePlan = {
    capability: { name: input.capability, file: cap.file, rung: cap.rung },
    satisfied: kernel === null && install.length === 0 && upgrade.length === 0,
    install,
    upgrade,
    kernel,
    files: [],
    missing: [],
    skipped,
  };
  if (plan.satisfied) return plan;

  const walker = new Walker(input, base, plan);
  let appNames = [...install, ...upgrade];
  if (kernel) {
    const m = matchApp(files, { ...base, name: kernel.name, arch: kernel.arch });
    walker.addFile(m, kernel.arch, true);
    appNames = [...m.element.deps, ...appNames];
  }
  walker.walk(appNames, facts.arch);
  return plan;
}

class Walker {
  private readonly visited = new Set<string>();
  constructor(
    private readonly input: SoftwarePlanInput,
    private readonly base: Omit<MatchQuery, "name">,
    private readonly plan: SoftwarePlan,
  ) {}

  hostPath(m: MatchResult<App>): string {
    const root = this.input.softwareRoot ?? this.input.files[m.fileIndex]?.pathRoot;
    return resolveAppPath(m.element.path, root);
  }

  /** Records a required file; returns whether it exists on the host. */
  addFile(m: MatchResult<App>, arch: string | undefined, kernel: boolean): boolean {
    const hostPath = this.hostPath(m);
    const exists = this.input.exists(hostPath);
    if (!exists && !this.plan.missing.includes(m.element.path)) this.plan.missing.push(m.element.path);
    if (!this.plan.files.some((f) => f.hostPath === hostPath)) {
      this.plan.files.push({
        app: m.element.name ?? "",
        arch: arch ?? null,
        path: m.element.path,
        hostPath,
        file: m.file,
        rung: m.rung,
        kernel,
        missing: !exists,
      });
    }
    return exists;
  }

  private nevra(m: MatchResult<App>): RpmNevra | undefined {
    const hostPath = this.hostPath(m);
    return this.input.rpmInfo?.(hostPath, m.element) ?? nevraFromFileName(m.element.path);
  }

  /** An installed name.arch at least as new as the RPM file (virt-v2v's _newer_installed). */
  private newerInstalled(m: MatchResult<App>): boolean {
    const nevra = this.nevra(m);
    if (!nevra) return false;
    return this.input.facts.packages.some(
      (p) => p.name === nevra.name && p.arch === nevra.arch && compareEvr(evrOf(p), evrOf(nevra)) >= 0,
    );
  }

  private has32bitInstance(m: MatchResult<App>, app: string): boolean {
    const name = this.nevra(m)?.name ?? app;
    return this.input.facts.packages.some((p: InstalledPackage) => p.name === name && is32bitX86(p.arch));
  }

  walk(names: readonly string[], arch: string | undefined): void {
    for (const name of names) {
      const key = `${name}\u0000${arch ?? ""}`;
      if (this.visited.has(key)) continue;
      this.visited.add(key);

      const m = matchApp(this.input.files, { ...this.base, name, arch });
      const exists = this.input.exists(this.hostPath(m));
      if (!exists || !this.newerInstalled(m)) {
        this.addFile(m, arch, false);
        this.walk(m.element.deps, arch);
      }

      if (arch !== "x86_64") continue;
      const m32 = tryMatchApp(this.input.files, { ...this.base, name, arch: "i386" });
      if (!m32 || !this.has32bitInstance(m32, name)) continue;
      const key32 = `${name}\u0000i386`;
      if (this.visited.has(key32)) continue;
      this.visited.add(key32);
      const exists32 = this.input.exists(this.hostPath(m32));
      if (!exists32 || !this.newerInstalled(m32)) {
        this.addFile(m32, "i386", false);
        this.walk(m32.element.deps, "i386");
      }
    }
  }
}

/** The error virt-v2v dies with when the plan lacks files, or undefined when nothing is missing. */
export function missingSoftwareError(plan: SoftwarePlan): MissingSoftwareError | undefined {
  return plan.missing.length === 0 ? undefined : new MissingSoftwareError(plan.missing);
}
