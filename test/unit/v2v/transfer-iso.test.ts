import { describe, expect, test } from "vitest";
import { TRANSFER_ISO_LABEL, graftPoints, transferIsoContents } from "../../../server/v2v/index.ts";
import { conf, vendorDb } from "./helpers.ts";

const USER = conf(`
  <path-root>/srv/user</path-root>
  <app os="linux" name="a"><path>rhel/a.rpm</path></app>
  <app os="linux" name="b"><path>/opt/abs/b.rpm</path></app>
  <app os="linux" name="c"><path>rhel/missing.rpm</path></app>
`, "user.conf");
const NO_ROOT = conf(`<app os="windows" name="d"><path>windows/d.exe</path></app>`, "noroot.conf");
const OTHER = conf(`<path-root>/srv/other</path-root><app os="linux" name="a2"><path>rhel/a.rpm</path></app>`, "other.conf");

const PRESENT = new Set(["/srv/user/rhel/a.rpm", "/opt/abs/b.rpm", "windows/d.exe", "/srv/other/rhel/a.rpm"]);
const exists = (p: string) => PRESENT.has(p);

describe("transferIsoContents", () => {
  test("every readable app path of every file, at the path written in the config", () => {
    const contents = transferIsoContents([USER, NO_ROOT], exists);
    expect(contents.entries).toEqual([
      { isoPath: "rhel/a.rpm", hostPath: "/srv/user/rhel/a.rpm", file: "user.conf" },
      { isoPath: "/opt/abs/b.rpm", hostPath: "/opt/abs/b.rpm", file: "user.conf" },
      { isoPath: "windows/d.exe", hostPath: "windows/d.exe", file: "noroot.conf" },
    ]);
    expect(contents.skipped.map((s) => s.hostPath)).toEqual(["/srv/user/rhel/missing.rpm"]);
  });

  test("each file joins its own path-root; a clash on the ISO path keeps the first file's", () => {
    const contents = transferIsoContents([USER, OTHER], exists);
    expect(contents.entries.filter((e) => e.isoPath === "rhel/a.rpm")).toHaveLength(1);
    expect(contents.conflicts).toEqual([{ isoPath: "rhel/a.rpm", kept: "/srv/user/rhel/a.rpm", dropped: "/srv/other/rhel/a.rpm" }]);
  });

  test("--software-root replaces the path-roots", () => {
    const contents = transferIsoContents([USER], (p) => p.startsWith("/repo/"), { softwareRoot: "/repo" });
    expect(contents.entries.map((e) => e.hostPath)).toEqual(["/repo/rhel/a.rpm", "/repo/rhel/missing.rpm"]);
  });

  test("nothing readable: an empty list (virt-v2v builds no ISO)", () => {
    expect(transferIsoContents([vendorDb()], () => false).entries).toEqual([]);
  });

  test("graft points for mkisofs/xorriso, with = escaped", () => {
    const file = conf(`<app os="linux" name="x"><path>/odd=name.rpm</path></app><app os="linux" name="y"><path>/y.rpm</path></app>`);
    expect(graftPoints(transferIsoContents([file], () => true))).toEqual(["/odd\\=name.rpm=/odd\\=name.rpm", "/y.rpm=/y.rpm"]);
    expect(TRANSFER_ISO_LABEL).toBe("__virt-v2v_transfer__");
  });
});
