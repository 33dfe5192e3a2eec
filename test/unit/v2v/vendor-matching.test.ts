// Golden matches over the vendor database (server/v2v/vendor/virt-v2v.db.xml), the
// reference's worked examples (§2.2) first.
import { describe, expect, test } from "vitest";
import {
  matchApp,
  matchCapability,
  missingSoftwareError,
  planSoftware,
  resolveAppPath,
  type MatchQuery,
} from "../../../server/v2v/index.ts";
import { conf, vendorDb } from "./helpers.ts";

const DB = vendorDb();
const linux = (distro: string, major: string, minor: string) => ({ os: "linux", distro, major, minor });
const windows = (major: string, minor: string, arch: string) => ({ os: "windows", major, minor, arch });

describe("apps", () => {
  test.each<[string, MatchQuery, number, string]>([
    ["RHEL 5.4 x86_64 kernel", { ...linux("rhel", "5", "4"), name: "kernel", arch: "x86_64" }, 3, "rhel/5/kernel-2.6.18-128.el5.x86_64.rpm"],
    ["RHEL 5.3 i686 kernel-PAE", { ...linux("rhel", "5", "3"), name: "kernel-PAE", arch: "i686" }, 3, "rhel/5/kernel-PAE-2.6.18-128.el5.i686.rpm"],
    ["RHEL 5 selinux-policy (no arch in the db)", { ...linux("rhel", "5", "4"), name: "selinux-policy", arch: "i386" }, 4, "rhel/5/selinux-policy-2.4.6-203.el5.noarch.rpm"],
    ["Windows 2008 R2 x86_64 virtio", { ...windows("6", "1", "x86_64"), name: "virtio" }, 3, "/usr/share/virtio-win/drivers/amd64/Win2008"],
    ["Windows 7 32-bit virtio", { ...windows("6", "1", "i386"), name: "virtio" }, 3, "/usr/share/virtio-win/drivers/i386/Win2008"],
    ["Windows XP virtio", { ...windows("5", "1", "i386"), name: "virtio" }, 1, "/usr/share/virtio-win/drivers/i386/WinXP"],
    ["Windows 2003 x86_64 virtio", { ...windows("5", "2", "x86_64"), name: "virtio" }, 1, "/usr/share/virtio-win/drivers/amd64/Win2003"],
    ["Windows rhsrvany (os only)", { ...windows("6", "1", "x86_64"), name: "rhsrvany" }, 8, "windows/rhsrvany.exe"],
    ["Windows rhev-apt (os only)", { ...windows("5", "2", "i386"), name: "rhev-apt" }, 8, "windows/rhev-apt.exe"],
  ])("%s", (_label, query, rung, path) => {
    const m = matchApp([DB], query);
    expect({ rung: m.rung, path: m.element.path }).toEqual({ rung, path });
  });

  test("relative paths join the db's path-root", () => {
    const m = matchApp([DB], { ...linux("rhel", "5", "4"), name: "kernel", arch: "x86_64" });
    expect(resolveAppPath(m.element.path, DB.pathRoot)).toBe(
      "/var/lib/virt-v2v/software/rhel/5/kernel-2.6.18-128.el5.x86_64.rpm",
    );
  });

  test("no i386/i686 aliasing: RHEL 5 kernels are i686, not i386", () => {
    expect(() => matchApp([DB], { ...linux("rhel", "5", "3"), name: "kernel", arch: "i386" })).toThrow(
      "No app in config matches os='linux' name='kernel' distro='rhel' major='5' minor='3' arch='i386'",
    );
  });

  test("a user file layered first overrides the vendor entry", () => {
    const user = conf(`<app os="linux" distro="rhel" name="kernel"><path>/srv/my-kernel.rpm</path></app>`, "/etc/virt-v2v.conf");
    const m = matchApp([user, DB], { ...linux("rhel", "5", "4"), name: "kernel", arch: "x86_64" });
    expect({ file: m.file, rung: m.rung, path: m.element.path }).toEqual({ file: "/etc/virt-v2v.conf", rung: 6, path: "/srv/my-kernel.rpm" });
    expect(m.shadowed[0]).toMatchObject({ file: "virt-v2v.db", rung: 3 });
  });
});

describe("capabilities", () => {
  test.each<[string, ReturnType<typeof linux>, number, { name: string; minversion?: string; ifinstalled?: string }[]]>([
    ["RHEL 6 virtio: no deps", linux("rhel", "6", "1"), 4, []],
    ["RHEL 5 virtio", linux("rhel", "5", "4"), 4, [
      { name: "kernel", minversion: "2.6.18-128.el5" },
      { name: "lvm2", minversion: "2.02.40-6.el5" },
      { name: "selinux-policy-targeted", minversion: "2.4.6-203.el5", ifinstalled: "yes" },
    ]],
    ["RHEL 4 virtio", linux("rhel", "4", "8"), 4, [{ name: "kernel", minversion: "2.6.9-89.EL" }]],
    ["Fedora virtio (no major)", linux("fedora", "14", "0"), 6, []],
  ])("%s", (_label, guest, rung, deps) => {
    const m = matchCapability([DB], { ...guest, name: "virtio" });
    expect(m.rung).toBe(rung);
    expect(m.element.deps.map(({ at: _at, ...d }) => JSON.parse(JSON.stringify(d)))).toEqual(deps);
  });

  test("user-custom: the os-only placeholder", () => {
    const m = matchCapability([DB], { ...linux("rhel", "6", "4"), name: "user-custom" });
    expect({ rung: m.rung, deps: m.element.deps }).toEqual({ rung: 8, deps: [] });
  });
});

describe("software plan over the vendor db", () => {
  test("RHEL 5.4 Xen guest with nothing on the host: virt-v2v's message, kernel first", () => {
    const plan = planSoftware({
      files: [DB],
      capability: "virtio",
      exists: () => false,
      facts: {
        os: "linux",
        distro: "rhel",
        major: "5",
        minor: "4",
        arch: "x86_64",
        kernel: { name: "kernel-xen", epoch: null, version: "2.6.18", release: "164.el5", arch: "x86_64", xen: true },
        packages: [{ name: "lvm2", epoch: null, version: "2.02.32", release: "4.el5", arch: "x86_64" }],
        memoryKiB: undefined,
        vcpus: undefined,
      },
    });
    expect(plan.kernel).toMatchObject({ name: "kernel", version: "2.6.18", release: "164.el5" });
    expect(missingSoftwareError(plan)?.message).toBe(
      "Installation failed because the following files referenced in the configuration file are required, but missing: " +
        "rhel/5/kernel-2.6.18-128.el5.x86_64.rpm rhel/5/ecryptfs-utils-56-8.el5.x86_64.rpm " +
        "rhel/5/lvm2-2.02.40-6.el5.x86_64.rpm rhel/5/device-mapper-1.02.28-2.el5.x86_64.rpm " +
        "rhel/5/device-mapper-event-1.02.28-2.el5.x86_64.rpm",
    );
  });
});
