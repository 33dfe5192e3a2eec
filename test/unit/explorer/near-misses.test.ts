// Why an element with the searched name does not match, checked against the core: every element
// the core's ladder rejects gets at least one reason, every candidate none.
import { describe, expect, test } from "vitest";
import { missReasons, nearMisses, similarNames, type MissQuery } from "../../../components/explorer/near-misses.ts";
import { rungOf } from "../../../server/v2v/index.ts";
import { conf, vendorDb } from "../v2v/helpers.ts";

const vendor = vendorDb();
const layers = [{ layerId: "V", layerName: "Vendor", elements: vendor.apps }];

describe("near misses", () => {
  test("RHEL 5.4 x86_64 kernel: the other kernels, each with what rules it out", () => {
    const q: MissQuery = { kind: "app", name: "kernel", os: "linux", distro: "rhel", major: "5", minor: "4", arch: "x86_64" };
    const misses = nearMisses(layers, q);
    const i686 = misses.find((m) => m.element.path === "rhel/5/kernel-2.6.18-128.el5.i686.rpm");
    expect(i686?.reasons).toEqual(["arch is 'i686', not 'x86_64' (no aliasing: i386, i586, i686 and x86_64 are different strings)."]);
    const rhel4 = misses.find((m) => m.element.path === "rhel/4/kernel-2.6.9-89.EL.x86_64.rpm");
    expect(rhel4?.reasons).toEqual(["major is '4', not '5'."]);
    expect(misses.some((m) => m.element.path === "rhel/5/kernel-2.6.18-128.el5.x86_64.rpm")).toBe(false);
  });

  test("capabilities with an arch, distro-less majors, minors without majors, a missing os", () => {
    const cap: MissQuery = { kind: "capability", name: "virtio", os: "linux", distro: "rhel", major: "5", minor: "4", arch: "x86_64" };
    expect(missReasons({ name: "virtio", os: "linux", distro: "rhel", major: "5", minor: undefined, arch: "x86_64" }, cap)).toEqual([
      "It has arch='x86_64': virt-v2v searches capabilities without an arch, so a capability with one never matches.",
    ]);
    expect(missReasons({ name: "virtio", os: "linux", distro: undefined, major: "5", minor: undefined, arch: undefined }, cap)[0]).toMatch(/^It has a major but no distro/);
    expect(missReasons({ name: "virtio", os: "linux", distro: "rhel", major: undefined, minor: "4", arch: undefined }, cap)).toEqual(["It has a minor but no major: no rung compares minor without major."]);
    expect(missReasons({ name: "virtio", os: undefined, distro: undefined, major: undefined, minor: undefined, arch: undefined }, cap)).toEqual(["It has no os attribute, so it can never match."]);
    const win: MissQuery = { kind: "app", name: "virtio", os: "windows", major: "6", minor: "1", arch: "x86_64" };
    expect(missReasons({ name: "virtio", os: "windows", distro: "rhel", major: undefined, minor: undefined, arch: undefined }, win)).toEqual([
      "It has distro='rhel'; the search has no distro (only Linux guests have one).",
    ]);
  });

  test("agrees with the core's ladder on every vendor app for a spread of guests", () => {
    const site = conf(`<app os='linux' major='5' name='kernel'><path>x</path></app><app os='linux' distro='rhel' minor='4' name='kernel'><path>y</path></app>`, "Site");
    const guests: MissQuery[] = [
      { kind: "app", name: "", os: "linux", distro: "rhel", major: "5", minor: "4", arch: "x86_64" },
      { kind: "app", name: "", os: "linux", distro: "rhel", major: "4", minor: "8", arch: "i686" },
      { kind: "app", name: "", os: "linux", distro: "sles", major: "11", arch: "i586" },
      { kind: "app", name: "", os: "windows", major: "6", minor: "1", arch: "x86_64" },
      { kind: "app", name: "", os: "windows", major: "5", minor: "1", arch: "i386" },
      { kind: "app", name: "", os: "linux", distro: "rhel" },
    ];
    for (const g of guests) {
      for (const e of [...vendor.apps, ...site.apps]) {
        const q = { ...g, name: e.name! };
        const matches = rungOf(e, q) !== undefined;
        expect(missReasons(e, q).length === 0, `${JSON.stringify(e)} for ${JSON.stringify(q)}`).toBe(matches);
      }
    }
  });

  test("similar names: case, typos and prefixes, closest first", () => {
    const names = vendor.apps.map((a) => a.name!);
    expect(similarNames(names, "kernal")[0]).toBe("kernel");
    expect(similarNames(names, "Kernel-pae")).toContain("kernel-PAE");
    expect(similarNames(names, "lvm")).toContain("lvm2");
    expect(similarNames(names, "zzzz")).toEqual([]);
  });
});
