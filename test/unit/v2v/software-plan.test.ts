import { describe, expect, test } from "vitest";
import {
  GuestFactsError,
  NoMatchError,
  kernelArchFor,
  missingSoftwareError,
  nevraFromFileName,
  parseGuestFacts,
  planSoftware,
  replacementKernelName,
  type GuestFacts,
  type InstalledPackage,
  type SoftwarePlanInput,
} from "../../../server/v2v/index.ts";
import { conf } from "./helpers.ts";

const CONFIG = conf(`
  <path-root>/srv/software</path-root>
  <capability os="linux" distro="rhel" major="5" name="virtio">
    <dep name="kernel" minversion="2.6.18-128.el5"/>
    <dep name="lvm2" minversion="2.02.40-6.el5"/>
    <dep name="selinux-policy-targeted" minversion="2.4.6-203.el5" ifinstalled="yes"/>
  </capability>
  <capability os="linux" distro="rhel" major="6" name="virtio"/>
  <app os="linux" distro="rhel" major="5" arch="x86_64" name="kernel">
    <path>rhel/5/kernel-2.6.18-128.el5.x86_64.rpm</path><dep>ecryptfs-utils</dep>
  </app>
  <app os="linux" distro="rhel" major="5" arch="i686" name="kernel-PAE">
    <path>rhel/5/kernel-PAE-2.6.18-128.el5.i686.rpm</path><dep>ecryptfs-utils</dep>
  </app>
  <app os="linux" distro="rhel" major="5" arch="x86_64" name="ecryptfs-utils"><path>rhel/5/ecryptfs-utils-56-8.el5.x86_64.rpm</path></app>
  <app os="linux" distro="rhel" major="5" arch="i386" name="ecryptfs-utils"><path>rhel/5/ecryptfs-utils-56-8.el5.i386.rpm</path></app>
  <app os="linux" distro="rhel" major="5" arch="x86_64" name="lvm2">
    <path>rhel/5/lvm2-2.02.40-6.el5.x86_64.rpm</path><dep>device-mapper</dep>
  </app>
  <app os="linux" distro="rhel" major="5" arch="i386" name="lvm2">
    <path>rhel/5/lvm2-2.02.40-6.el5.i386.rpm</path><dep>device-mapper</dep>
  </app>
  <app os="linux" distro="rhel" major="5" arch="x86_64" name="device-mapper"><path>rhel/5/device-mapper-1.02.28-2.el5.x86_64.rpm</path></app>
  <app os="linux" distro="rhel" major="5" arch="i386" name="device-mapper"><path>rhel/5/device-mapper-1.02.28-2.el5.i386.rpm</path></app>
  <app os="linux" distro="rhel" major="5" name="selinux-policy-targeted"><path>rhel/5/selinux-policy-targeted-2.4.6-203.el5.noarch.rpm</path></app>
`, "virt-v2v.db");

const pkg = (name: string, version: string, release: string, arch: string, epoch: string | null = null): InstalledPackage => ({
  name,
  epoch,
  version,
  release,
  arch,
});

const XEN_KERNEL = { ...pkg("kernel-xen", "2.6.18", "164.el5", "x86_64"), xen: true };

function rhel5(changes: Partial<GuestFacts> = {}): GuestFacts {
  return {
    os: "linux",
    distro: "rhel",
    major: "5",
    minor: "4",
    arch: "x86_64",
    kernel: XEN_KERNEL,
    packages: [pkg("kernel-xen", "2.6.18", "164.el5", "x86_64"), pkg("lvm2", "2.02.32", "4.el5", "x86_64")],
    memoryKiB: undefined,
    vcpus: undefined,
    ...changes,
  };
}

function plan(facts: GuestFacts, present: string[] | "all" = [], extra: Partial<SoftwarePlanInput> = {}) {
  return planSoftware({
    files: [CONFIG],
    facts,
    capability: "virtio",
    exists: (p) => present === "all" || present.includes(p),
    ...extra,
  });
}

describe("RHEL 5 Xen guest: the replacement kernel", () => {
  test("x86_64: the same version of 'kernel', without the Xen release suffix", () => {
    const p = plan(rhel5({ kernel: { ...XEN_KERNEL, release: "164.el5xen" } }));
    expect(p.kernel).toEqual({ name: "kernel", arch: "x86_64", epoch: null, version: "2.6.18", release: "164.el5", replaces: "kernel-xen" });
  });

  test("i686 (userspace i386): kernel-PAE, matched with the kernel arch i686", () => {
    const p = plan(rhel5({ arch: "i386", kernel: { ...XEN_KERNEL, arch: "i686" }, packages: [] }));
    expect(p.kernel).toMatchObject({ name: "kernel-PAE", arch: "i686" });
    expect(p.files[0]).toMatchObject({ app: "kernel-PAE", path: "rhel/5/kernel-PAE-2.6.18-128.el5.i686.rpm", kernel: true });
  });

  test("a Xen kernel older than minversion asks for the latest replacement", () => {
    const p = plan(rhel5({ kernel: { ...XEN_KERNEL, version: "2.6.18", release: "92.el5" } }));
    expect(p.kernel).toEqual({ name: "kernel", arch: "x86_64", epoch: null, version: null, release: null, replaces: "kernel-xen" });
  });

  test("a replacement already installed at >= minversion: no kernel to install", () => {
    const p = plan(rhel5({ packages: [pkg("kernel", "2.6.18", "128.1.1.el5", "x86_64"), pkg("lvm2", "2.02.40", "6.el5", "x86_64")] }));
    expect(p.kernel).toBeNull();
    expect(p.satisfied).toBe(true);
    expect(p.files).toEqual([]);
  });

  test("a non-Xen kernel new enough needs nothing; an old one asks for the latest of itself", () => {
    const kernel = { ...pkg("kernel", "2.6.18", "164.el5", "x86_64"), xen: false };
    expect(plan(rhel5({ kernel })).kernel).toBeNull();
    const old = { ...kernel, release: "8.el5" };
    expect(plan(rhel5({ kernel: old })).kernel).toMatchObject({ name: "kernel", version: null, replaces: null });
  });

  test("no architecture at all is an error", () => {
    expect(() => plan(rhel5({ arch: undefined, kernel: { ...XEN_KERNEL, arch: null } }))).toThrow(GuestFactsError);
  });
});

describe("replacement kernel names per distro (reference §2.3)", () => {
  const big = 16 * 1024 * 1024; // 16 GiB in KiB
  test.each<[string, string | undefined, string, number | undefined, number | undefined, string]>([
    ["rhel", "5", "i686", undefined, undefined, "kernel-PAE"],
    ["rhel", "5", "x86_64", big, 16, "kernel"],
    ["centos", "5", "i686", undefined, undefined, "kernel-PAE"],
    ["rhel", "4", "i686", big, 4, "kernel-hugemem"],
    ["rhel", "4", "i686", undefined, 2, "kernel-smp"],
    ["rhel", "4", "i686", undefined, 1, "kernel"],
    ["rhel", "4", "x86_64", undefined, 9, "kernel-largesmp"],
    ["rhel", "4", "x86_64", undefined, 2, "kernel-smp"],
    ["rhel", "4", "x86_64", big, 1, "kernel"],
    ["sles", "11", "i586", big, 1, "kernel-pae"],
    ["sles", "11", "x86_64", big, 1, "kernel-default"],
    ["sles", "10", "i586", big, 1, "kernel-bigsmp"],
    ["sles", "10", "i586", undefined, 2, "kernel-smp"],
    ["sles", "10", "x86_64", undefined, 2, "kernel-smp"],
    ["sles", "10", "x86_64", undefined, 1, "kernel-default"],
    ["opensuse", "11", "x86_64", undefined, 4, "kernel-default"],
    ["fedora", "14", "i686", big, 4, "kernel"],
  ])("%s %s %s mem=%s cpus=%s -> %s", (distro, major, arch, memoryKiB, vcpus, name) => {
    expect(replacementKernelName({ distro, major, memoryKiB, vcpus }, arch)).toBe(name);
  });

  test.each([
    ["i386", "rhel", "i686"],
    ["i586", "fedora", "i686"],
    ["i686", "sles", "i586"],
    ["x86_64", "sles", "x86_64"],
  ])("kernel arch %s on %s is searched as %s", (arch, distro, expected) => {
    expect(kernelArchFor(arch, distro)).toBe(expected);
  });
});

describe("packages: install, upgrade, ifinstalled", () => {
  test("an old installed package is upgraded; a missing one is installed", () => {
    expect(plan(rhel5()).upgrade).toEqual(["lvm2"]);
    const p = plan(rhel5({ packages: [] }));
    expect(p.install).toEqual(["lvm2"]);
    expect(p.upgrade).toEqual([]);
  });

  test("ifinstalled: skipped when absent, upgraded when installed but too old", () => {
    expect(plan(rhel5()).skipped).toEqual(["selinux-policy-targeted"]);
    const p = plan(rhel5({ packages: [pkg("selinux-policy-targeted", "2.4.6", "137.el5", "noarch")] }));
    expect(p.upgrade).toContain("selinux-policy-targeted");
    expect(p.files.map((f) => f.app)).toContain("selinux-policy-targeted");
  });

  test("any installed instance at >= minversion satisfies a dep; epochs count", () => {
    const p = plan(rhel5({ packages: [pkg("lvm2", "2.02.32", "4.el5", "i386"), pkg("lvm2", "2.02.01", "1", "x86_64", "1")] }));
    expect(p.upgrade).toEqual([]);
  });

  test("RHEL 6: the capability has no deps, so it is already satisfied", () => {
    const p = plan(rhel5({ major: "6", minor: "1" }));
    expect(p).toMatchObject({ satisfied: true, install: [], upgrade: [], kernel: null, files: [], missing: [] });
    expect(p.capability).toEqual({ name: "virtio", file: "virt-v2v.db", rung: 4 });
  });
});

describe("files and missing files", () => {
  const MESSAGE =
    "Installation failed because the following files referenced in the configuration file are required, but missing: " +
    "rhel/5/kernel-2.6.18-128.el5.x86_64.rpm rhel/5/ecryptfs-utils-56-8.el5.x86_64.rpm " +
    "rhel/5/lvm2-2.02.40-6.el5.x86_64.rpm rhel/5/device-mapper-1.02.28-2.el5.x86_64.rpm";

  test("nothing on the host: every required file is missing, kernel first, config-relative", () => {
    const p = plan(rhel5());
    expect(missingSoftwareError(p)?.message).toBe(MESSAGE);
    expect(p.files.map((f) => [f.app, f.kernel, f.missing])).toEqual([
      ["kernel", true, true],
      ["ecryptfs-utils", false, true],
      ["lvm2", false, true],
      ["device-mapper", false, true],
    ]);
  });

  test("host paths join the file's path-root; --software-root replaces it", () => {
    expect(plan(rhel5()).files[0]?.hostPath).toBe("/srv/software/rhel/5/kernel-2.6.18-128.el5.x86_64.rpm");
    const p = plan(rhel5(), [], { softwareRoot: "/mnt/repo" });
    expect(p.files[0]?.hostPath).toBe("/mnt/repo/rhel/5/kernel-2.6.18-128.el5.x86_64.rpm");
  });

  test("everything present: no missing files and no error", () => {
    const p = plan(rhel5(), "all");
    expect(p.missing).toEqual([]);
    expect(missingSoftwareError(p)).toBeUndefined();
    expect(p.files).toHaveLength(4);
  });

  test("a present RPM not newer than the installed package is not required (nor its deps)", () => {
    const p = plan(rhel5({ packages: [...rhel5().packages, pkg("ecryptfs-utils", "56", "8.el5", "x86_64")] }), "all");
    expect(p.files.map((f) => f.app)).toEqual(["kernel", "lvm2", "device-mapper"]);
  });

  test("a missing file is required even when a newer package is installed", () => {
    const p = plan(rhel5({ packages: [...rhel5().packages, pkg("ecryptfs-utils", "99", "1.el5", "x86_64")] }));
    expect(p.missing).toContain("rhel/5/ecryptfs-utils-56-8.el5.x86_64.rpm");
  });

  test("a dep with no app in config is fatal (NoMatchError), not 'missing'", () => {
    const files = [conf(`<capability os="linux" name="virtio"><dep name="ghost"/></capability>`)];
    expect(() => planSoftware({ files, facts: rhel5(), capability: "virtio", exists: () => true })).toThrow(
      "No app in config matches os='linux' name='ghost' distro='rhel' major='5' minor='4' arch='x86_64'",
    );
  });

  test("an unknown capability is a NoMatchError", () => {
    expect(() => plan(rhel5({ major: "3" }))).toThrow(NoMatchError);
  });
});

describe("i386 counterparts on x86_64 (the man page's rule)", () => {
  test("not considered when no i386 instance is installed, even if the i386 file is absent", () => {
    const p = plan(rhel5());
    expect(p.files.some((f) => f.arch === "i386")).toBe(false);
    expect(p.missing.some((m) => m.endsWith(".i386.rpm"))).toBe(false);
  });

  test("an installed i386 instance makes the i386 file (and its deps) required, and missing when absent", () => {
    const facts = rhel5({ packages: [...rhel5().packages, pkg("lvm2", "2.02.32", "4.el5", "i386")] });
    const p = plan(facts);
    expect(p.files.filter((f) => f.arch === "i386").map((f) => f.path)).toEqual([
      "rhel/5/lvm2-2.02.40-6.el5.i386.rpm",
      "rhel/5/device-mapper-1.02.28-2.el5.i386.rpm",
    ]);
    expect(p.missing).toContain("rhel/5/lvm2-2.02.40-6.el5.i386.rpm");
  });

  test("an i686 instance counts as a 32-bit instance too", () => {
    const facts = rhel5({ packages: [...rhel5().packages, pkg("ecryptfs-utils", "50", "1.el5", "i686")] });
    expect(plan(facts).files.map((f) => f.path)).toContain("rhel/5/ecryptfs-utils-56-8.el5.i386.rpm");
  });

  test("an up-to-date i386 instance with the file present needs nothing", () => {
    const facts = rhel5({ packages: [...rhel5().packages, pkg("lvm2", "2.02.40", "6.el5", "i386")] });
    expect(plan(facts, "all").files.some((f) => f.path.endsWith("lvm2-2.02.40-6.el5.i386.rpm"))).toBe(false);
  });
});

describe("guest facts and RPM file names", () => {
  test("FACTS.json numbers become strings; nulls become absent", () => {
    const result = parseGuestFacts({
      os: "linux",
      distro: "rhel",
      major: 5,
      minor: 4,
      arch: "x86_64",
      kernel: { name: "kernel-xen", epoch: null, version: "2.6.18", release: "164.el5", arch: "x86_64", xen: true },
      packages: [{ name: "lvm2", epoch: 0, version: "2.02.32", release: "4.el5", arch: "x86_64" }],
    });
    expect(result).toMatchObject({ ok: true, facts: { major: "5", minor: "4", packages: [{ epoch: "0" }] } });
  });

  test("bad facts are reported with the field path", () => {
    const result = parseGuestFacts({ os: "linux", packages: [{ name: "x" }] });
    expect(result).toEqual({ ok: false, problems: [expect.stringMatching(/^packages\.0\.version: /)] });
  });

  test.each([
    ["rhel/5/kernel-PAE-2.6.18-128.el5.i686.rpm", { name: "kernel-PAE", version: "2.6.18", release: "128.el5", arch: "i686" }],
    ["device-mapper-event-1.02.28-2.el5.x86_64.rpm", { name: "device-mapper-event", version: "1.02.28", release: "2.el5", arch: "x86_64" }],
  ])("%s", (path, expected) => {
    expect(nevraFromFileName(path)).toEqual({ epoch: null, ...expected });
  });

  test("a non-RPM path has no NEVRA", () => {
    expect(nevraFromFileName("/usr/share/virtio-win/drivers/amd64/Win2008")).toBeUndefined();
  });
});
