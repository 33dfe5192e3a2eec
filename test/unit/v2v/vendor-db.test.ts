// Checks over the shipped vendor database that need nothing but fast-xml-parser: it is
// well-formed, shaped like virt-v2v.db, internally consistent, and holds the entries of
// reference §1.5.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { isValidEvr } from "../../../server/v2v/rpm-version.ts";

const DB_URL = new URL("../../../server/v2v/vendor/virt-v2v.db.xml", import.meta.url);
const xml = readFileSync(DB_URL, "utf8");

type Attrs = Record<string, string | undefined>;
type CapabilityDep = Attrs;
type Capability = Attrs & { dep?: CapabilityDep[] };
type App = Attrs & { path?: unknown[]; dep?: unknown[] };
type Root = { capability?: Capability[]; app?: App[]; "path-root"?: unknown[] } & Record<
  string,
  unknown
>;

const ARRAYS = new Set(["capability", "app", "dep", "path", "path-root"]);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  ignoreDeclaration: true,
  parseAttributeValue: false,
  parseTagValue: false,
  processEntities: false,
  trimValues: true,
  isArray: (name) => ARRAYS.has(name),
});
const root = (parser.parse(xml) as { "virt-v2v": Root })["virt-v2v"];
const capabilities = root.capability ?? [];
const apps = root.app ?? [];

const MATCH_KEYS = ["os", "distro", "major", "minor", "arch"] as const;
const where = (e: Attrs): string =>
  `${e.name ?? "?"} [${MATCH_KEYS.filter((k) => e[k] !== undefined)
    .map((k) => `${k}=${e[k]}`)
    .join(" ")}]`;
const onlyText = (value: unknown): string => {
  if (typeof value !== "string") throw new Error(`expected text, got ${JSON.stringify(value)}`);
  return value;
};

describe("vendor virt-v2v.db.xml: shape", () => {
  test("is well-formed XML", () => {
    expect(XMLValidator.validate(xml)).toBe(true);
  });

  test("has a <virt-v2v> root holding only capability, app and path-root", () => {
    expect(root).toBeDefined();
    expect(Object.keys(root).sort()).toEqual(["app", "capability", "path-root"]);
  });

  test("path-root is /var/lib/virt-v2v/software", () => {
    expect(root["path-root"]).toEqual(["/var/lib/virt-v2v/software"]);
  });

  test("every capability has name and os, known attributes only, and no arch", () => {
    for (const cap of capabilities) {
      expect(cap.name, where(cap)).toBeTruthy();
      expect(cap.os, where(cap)).toBeTruthy();
      // match_capability never passes an arch, so a capability with one could never match.
      expect(cap.arch, where(cap)).toBeUndefined();
      const attrs = Object.keys(cap).filter((k) => k !== "dep");
      for (const attr of attrs) expect(["name", "os", "distro", "major", "minor"]).toContain(attr);
    }
  });

  test("every capability dep has a name, a valid minversion, ifinstalled='yes' if any", () => {
    for (const cap of capabilities) {
      for (const dep of cap.dep ?? []) {
        expect(typeof dep, where(cap)).toBe("object");
        expect(dep.name, where(cap)).toBeTruthy();
        if (dep.minversion !== undefined) {
          expect(isValidEvr(dep.minversion), `${where(cap)} ${dep.minversion}`).toBe(true);
        }
        if (dep.ifinstalled !== undefined) expect(dep.ifinstalled).toBe("yes");
        for (const attr of Object.keys(dep)) {
          expect(["name", "minversion", "ifinstalled"]).toContain(attr);
        }
      }
    }
  });

  test("every app has a name, an os, and exactly one non-empty path", () => {
    for (const app of apps) {
      expect(app.name, where(app)).toBeTruthy();
      expect(app.os, where(app)).toBeTruthy();
      expect(app.path, where(app)).toHaveLength(1);
      expect(onlyText(app.path?.[0]).length, where(app)).toBeGreaterThan(0);
      const attrs = Object.keys(app).filter((k) => k !== "path" && k !== "dep");
      for (const attr of attrs) expect(["name", ...MATCH_KEYS]).toContain(attr);
    }
  });

  test("every app dep names an app defined for the same os, distro and major", () => {
    const defined = new Set(apps.map((a) => `${a.os}/${a.distro}/${a.major}/${a.name}`));
    for (const app of apps) {
      for (const dep of app.dep ?? []) {
        const name = onlyText(dep);
        const key = `${app.os}/${app.distro}/${app.major}/${name}`;
        expect(defined.has(key), `${where(app)} -> ${name}`).toBe(true);
      }
    }
  });

  test("no two entries share a search key (the second would be unreachable)", () => {
    for (const [kind, entries] of [
      ["capability", capabilities],
      ["app", apps],
    ] as const) {
      const keys = entries.map((e) => `${kind} ${where(e)}`);
      expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
    }
  });
});

// Golden summary of every entry, in document order; "?" marks ifinstalled deps.
const GOLDEN_CAPABILITIES = [
  "virtio [os=linux distro=rhel major=6]: -",
  "virtio [os=linux distro=rhel major=7]: -",
  "virtio [os=linux distro=rhel major=5]: kernel>=2.6.18-128.el5 lvm2>=2.02.40-6.el5 selinux-policy-targeted>=2.4.6-203.el5?",
  "virtio [os=linux distro=rhel major=4]: kernel>=2.6.9-89.EL",
  "qxl [os=linux distro=rhel major=7]: xorg-x11-drv-qxl",
  "qxl [os=linux distro=rhel major=6]: xorg-x11-drv-qxl",
  "qxl [os=linux distro=rhel major=5]: xorg-x11-drv-qxl",
  "qxl [os=linux distro=rhel major=4]: -",
  "virtio [os=linux distro=fedora]: -",
  "qxl [os=linux distro=fedora]: xorg-x11-drv-qxl",
  "virtio [os=linux distro=centos major=7]: -",
  "virtio [os=linux distro=centos major=6]: -",
  "virtio [os=linux distro=centos major=5]: kernel>=2.6.18-128.el5 lvm2>=2.02.40-6.el5 selinux-policy-targeted>=2.4.6-203.el5?",
  "virtio [os=linux distro=centos major=4]: kernel>=2.6.9-89.EL",
  "qxl [os=linux distro=centos major=7]: xorg-x11-drv-qxl",
  "qxl [os=linux distro=centos major=6]: xorg-x11-drv-qxl",
  "qxl [os=linux distro=centos major=5]: xorg-x11-drv-qxl",
  "qxl [os=linux distro=centos major=4]: -",
  "virtio [os=linux distro=scientificlinux major=7]: -",
  "virtio [os=linux distro=scientificlinux major=6]: -",
  "virtio [os=linux distro=scientificlinux major=5]: kernel>=2.6.18-128.el5 lvm2>=2.02.40-6.el5 selinux-policy-targeted>=2.4.6-203.el5?",
  "virtio [os=linux distro=scientificlinux major=4]: kernel>=2.6.9-89.EL",
  "qxl [os=linux distro=scientificlinux major=7]: xorg-x11-drv-qxl",
  "qxl [os=linux distro=scientificlinux major=6]: xorg-x11-drv-qxl",
  "qxl [os=linux distro=scientificlinux major=5]: xorg-x11-drv-qxl",
  "qxl [os=linux distro=scientificlinux major=4]: -",
  "virtio [os=linux distro=sles major=11]: kernel",
  "virtio [os=linux distro=sles major=10]: kernel>=2.6.16.60-0.85.1",
  "cirrus [os=linux distro=sles]: xorg-x11-driver-video",
  "virtio [os=linux distro=opensuse major=13]: kernel",
  "virtio [os=linux distro=opensuse major=12]: kernel",
  "virtio [os=linux distro=opensuse major=11]: kernel",
  "virtio [os=linux distro=opensuse major=10]: kernel>=2.6.25.5-1.1",
  "cirrus [os=linux distro=opensuse]: xorg-x11-driver-video",
  "user-custom [os=linux]: -",
];

const R5 = "linux distro=rhel major=5";
const R4 = "linux distro=rhel major=4";
const S11 = "linux distro=sles major=11";
const S10 = "linux distro=sles major=10";
const GOLDEN_APPS = [
  `kernel [os=${R5} arch=i686] rhel/5/kernel-2.6.18-128.el5.i686.rpm <- ecryptfs-utils`,
  `kernel-PAE [os=${R5} arch=i686] rhel/5/kernel-PAE-2.6.18-128.el5.i686.rpm <- ecryptfs-utils`,
  `kernel [os=${R5} arch=x86_64] rhel/5/kernel-2.6.18-128.el5.x86_64.rpm <- ecryptfs-utils`,
  `ecryptfs-utils [os=${R5} arch=x86_64] rhel/5/ecryptfs-utils-56-8.el5.x86_64.rpm`,
  `ecryptfs-utils [os=${R5} arch=i386] rhel/5/ecryptfs-utils-56-8.el5.i386.rpm`,
  `lvm2 [os=${R5} arch=x86_64] rhel/5/lvm2-2.02.40-6.el5.x86_64.rpm <- device-mapper device-mapper-event`,
  `lvm2 [os=${R5} arch=i386] rhel/5/lvm2-2.02.40-6.el5.i386.rpm <- device-mapper device-mapper-event`,
  `device-mapper [os=${R5} arch=x86_64] rhel/5/device-mapper-1.02.28-2.el5.x86_64.rpm`,
  `device-mapper [os=${R5} arch=i386] rhel/5/device-mapper-1.02.28-2.el5.i386.rpm`,
  `device-mapper-event [os=${R5} arch=x86_64] rhel/5/device-mapper-event-1.02.28-2.el5.x86_64.rpm`,
  `device-mapper-event [os=${R5} arch=i386] rhel/5/device-mapper-event-1.02.28-2.el5.i386.rpm`,
  `selinux-policy-targeted [os=${R5}] rhel/5/selinux-policy-targeted-2.4.6-203.el5.noarch.rpm <- selinux-policy`,
  `selinux-policy [os=${R5}] rhel/5/selinux-policy-2.4.6-203.el5.noarch.rpm`,
  `kernel [os=${R4} arch=i686] rhel/4/kernel-2.6.9-89.EL.i686.rpm`,
  `kernel-smp [os=${R4} arch=i686] rhel/4/kernel-smp-2.6.9-89.EL.i686.rpm`,
  `kernel-hugemem [os=${R4} arch=i686] rhel/4/kernel-hugemem-2.6.9-89.EL.i686.rpm`,
  `kernel [os=${R4} arch=x86_64] rhel/4/kernel-2.6.9-89.EL.x86_64.rpm`,
  `kernel-smp [os=${R4} arch=x86_64] rhel/4/kernel-smp-2.6.9-89.EL.x86_64.rpm`,
  `kernel-largesmp [os=${R4} arch=x86_64] rhel/4/kernel-largesmp-2.6.9-89.EL.x86_64.rpm`,
  `kernel-default [os=${S11} arch=x86_64] sles/11/kernel-default-3.0.76-0.11.1.x86_64.rpm <- kernel-default-base`,
  `kernel-default-base [os=${S11} arch=x86_64] sles/11/kernel-default-base-3.0.76-0.11.1.x86_64.rpm`,
  `kernel-default [os=${S11} arch=i586] sles/11/kernel-default-3.0.76-0.11.1.i586.rpm <- kernel-default-base`,
  `kernel-default-base [os=${S11} arch=i586] sles/11/kernel-default-base-3.0.76-0.11.1.i586.rpm`,
  `kernel-pae [os=${S11} arch=i586] sles/11/kernel-pae-3.0.76-0.11.1.i586.rpm <- kernel-pae-base`,
  `kernel-pae-base [os=${S11} arch=i586] sles/11/kernel-pae-base-3.0.76-0.11.1.i586.rpm`,
  `kernel-default [os=${S10} arch=x86_64] sles/10/kernel-default-2.6.16.60-0.85.1.x86_64.rpm`,
  `kernel-smp [os=${S10} arch=x86_64] sles/10/kernel-smp-2.6.16.60-0.85.1.x86_64.rpm`,
  `kernel-default [os=${S10} arch=i586] sles/10/kernel-default-2.6.16.60-0.85.1.i586.rpm`,
  `kernel-smp [os=${S10} arch=i586] sles/10/kernel-smp-2.6.16.60-0.85.1.i586.rpm`,
  `kernel-bigsmp [os=${S10} arch=i586] sles/10/kernel-bigsmp-2.6.16.60-0.85.1.i586.rpm`,
  "virtio [os=windows major=5 minor=1 arch=i386] /usr/share/virtio-win/drivers/i386/WinXP",
  "virtio [os=windows major=5 minor=2 arch=i386] /usr/share/virtio-win/drivers/i386/Win2003",
  "virtio [os=windows major=5 minor=2 arch=x86_64] /usr/share/virtio-win/drivers/amd64/Win2003",
  "virtio [os=windows major=6 arch=i386] /usr/share/virtio-win/drivers/i386/Win2008",
  "virtio [os=windows major=6 arch=x86_64] /usr/share/virtio-win/drivers/amd64/Win2008",
  "rhsrvany [os=windows] windows/rhsrvany.exe",
  "rhev-apt [os=windows] windows/rhev-apt.exe",
];

describe("vendor virt-v2v.db.xml: content (reference §1.5)", () => {
  test("capabilities, in document order", () => {
    const summary = capabilities.map((cap) => {
      const deps = (cap.dep ?? []).map((d) => {
        const min = d.minversion === undefined ? "" : `>=${d.minversion}`;
        return `${d.name}${min}${d.ifinstalled === undefined ? "" : "?"}`;
      });
      return `${where(cap)}: ${deps.length === 0 ? "-" : deps.join(" ")}`;
    });
    expect(summary).toEqual(GOLDEN_CAPABILITIES);
  });

  test("apps, in document order", () => {
    const summary = apps.map((app) => {
      const deps = (app.dep ?? []).map(onlyText);
      const depText = deps.length === 0 ? "" : ` <- ${deps.join(" ")}`;
      return `${where(app)} ${onlyText(app.path?.[0])}${depText}`;
    });
    expect(summary).toEqual(GOLDEN_APPS);
  });
});
