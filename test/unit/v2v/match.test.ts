import { describe, expect, test } from "vitest";
import {
  NoMatchError,
  formatSearch,
  matchApp,
  matchCapability,
  resolveAppPath,
  type ConfigFile,
  type MatchQuery,
} from "../../../server/v2v/index.ts";
import { conf } from "./helpers.ts";

const RHEL53_I686: MatchQuery = { name: "kernel", os: "linux", distro: "rhel", major: "5", minor: "3", arch: "i686" };

// One app per rung, each tagged with the rung it should match at for RHEL 5.3 i686.
const LADDER = conf(`
  <app name="kernel" os="linux"                                      ><path>r8</path></app>
  <app name="kernel" os="linux"                           arch="i686"><path>r7</path></app>
  <app name="kernel" os="linux" distro="rhel"                        ><path>r6</path></app>
  <app name="kernel" os="linux" distro="rhel"             arch="i686"><path>r5</path></app>
  <app name="kernel" os="linux" distro="rhel" major="5"              ><path>r4</path></app>
  <app name="kernel" os="linux" distro="rhel" major="5"   arch="i686"><path>r3</path></app>
  <app name="kernel" os="linux" distro="rhel" major="5" minor="3"    ><path>r2</path></app>
  <app name="kernel" os="linux" distro="rhel" major="5" minor="3" arch="i686"><path>r1</path></app>
`);

/** The ladder config with the elements of the first `n` rungs removed. */
function ladderFrom(rung: number): ConfigFile {
  return { ...LADDER, apps: LADDER.apps.filter((a) => Number(a.path.slice(1)) >= rung) };
}

describe("the 8-rung ladder", () => {
  test.each([1, 2, 3, 4, 5, 6, 7, 8])("rung %i wins once every more specific rung is empty", (rung) => {
    const m = matchApp([ladderFrom(rung)], RHEL53_I686);
    expect(m.rung).toBe(rung);
    expect(m.element.path).toBe(`r${rung}`);
    expect(m.shadowed.map((s) => s.rung)).toEqual(Array.from({ length: 8 - rung }, (_, i) => rung + i + 1));
  });

  test("rungs win over document order: r1 is last in the file and still wins", () => {
    expect(matchApp([LADDER], RHEL53_I686).element.path).toBe("r1");
  });

  test.each<[string, Partial<MatchQuery>, number[]]>([
    ["no arch: rungs 1, 3, 5, 7 are skipped", { arch: undefined }, [2, 4, 6, 8]],
    ["no minor: rungs 1-2 are skipped", { minor: undefined }, [3, 4, 5, 6, 7, 8]],
    ["no major: only rungs 5-8", { major: undefined, minor: undefined }, [5, 6, 7, 8]],
    ["other distro: only the distro-less rungs 7-8", { distro: "fedora" }, [7, 8]],
    ["other arch: arch rungs never match", { arch: "x86_64" }, [2, 4, 6, 8]],
  ])("%s", (_label, change, rungs) => {
    const m = matchApp([LADDER], { ...RHEL53_I686, ...change });
    expect([m.rung, ...m.shadowed.map((s) => s.rung)]).toEqual(rungs);
  });
});

describe("absent attributes must be absent, not wildcards", () => {
  test.each<[string, string, Partial<MatchQuery>]>([
    ["an element with minor cannot match a search without minor", `minor="3"`, { minor: undefined }],
    ["an element with arch cannot match a search without arch", `arch="i686"`, { arch: undefined }],
    ["an element with major cannot match a search without major", `major="5"`, { major: undefined, minor: undefined }],
    ["minor without major never matches", `minor="3"`, {}],
    ["a distro-less element with major does not match a search with distro", `major="5"`, {}],
  ])("%s", (_label, attrs, change) => {
    const file = conf(`<app name="kernel" os="linux" ${attrs}><path>p</path></app>`);
    expect(() => matchApp([file], { ...RHEL53_I686, ...change })).toThrow(NoMatchError);
  });

  test("comparison is case-sensitive and has no arch aliasing", () => {
    const file = conf(`
      <app name="kernel" os="linux" distro="RHEL"><path>a</path></app>
      <app name="kernel" os="linux" distro="rhel" major="5" arch="i386"><path>b</path></app>
      <app name="Kernel" os="linux"><path>c</path></app>`);
    expect(() => matchApp([file], RHEL53_I686)).toThrow(
      "No app in config matches os='linux' name='kernel' distro='rhel' major='5' minor='3' arch='i686'",
    );
  });

  test("an element without os never matches", () => {
    const file = conf(`<app name="kernel"><path>p</path></app>`);
    expect(() => matchApp([file], RHEL53_I686)).toThrow(NoMatchError);
  });

  test("Windows (no distro): a distro-less major entry matches at rung 3, os-only at rung 8", () => {
    const file = conf(`
      <app os="windows" name="rhsrvany"><path>windows/rhsrvany.exe</path></app>
      <app os="windows" major="6" arch="x86_64" name="virtio"><path>amd64/Win2008</path></app>`);
    const q = { os: "windows", major: "6", minor: "1", arch: "x86_64" };
    expect(matchApp([file], { ...q, name: "virtio" }).rung).toBe(3);
    expect(matchApp([file], { ...q, name: "rhsrvany" }).rung).toBe(8);
  });
});

describe("layers: an ordered list of files", () => {
  const user = conf(`<app name="kernel" os="linux"><path>user-kernel.rpm</path></app>`, "/etc/virt-v2v.conf");
  const vendor = conf(
    `<app name="kernel" os="linux" distro="rhel" major="5" minor="3" arch="i686"><path>vendor.rpm</path></app>`,
    "virt-v2v.db",
  );

  test("the first file with any match wins, even with a less specific rung", () => {
    const m = matchApp([user, vendor], RHEL53_I686);
    expect({ file: m.file, fileIndex: m.fileIndex, rung: m.rung, path: m.element.path }).toEqual({
      file: "/etc/virt-v2v.conf",
      fileIndex: 0,
      rung: 8,
      path: "user-kernel.rpm",
    });
    expect(m.shadowed).toEqual([expect.objectContaining({ file: "virt-v2v.db", fileIndex: 1, rung: 1 })]);
  });

  test("file order decides: reversed, the vendor entry wins", () => {
    expect(matchApp([vendor, user], RHEL53_I686).element.path).toBe("vendor.rpm");
  });

  test("within a rung, the first element in document order wins and the later one is shadowed", () => {
    const file = conf(`
      <app name="kernel" os="linux" distro="rhel"><path>first</path></app>
      <app name="kernel" os="linux" distro="rhel"><path>second</path></app>`);
    const m = matchApp([file], RHEL53_I686);
    expect(m.element.path).toBe("first");
    expect(m.shadowed.map((s) => [s.rung, s.element.path])).toEqual([[6, "second"]]);
  });

  test("no files at all: virt-v2v's 'No config specified' message", () => {
    expect(() => matchApp([], RHEL53_I686)).toThrow(
      "No config specified. No app match for os='linux' name='kernel' distro='rhel' major='5' minor='3' arch='i686'.",
    );
  });
});

describe("capabilities", () => {
  test("are matched without arch, so a capability with an arch never matches", () => {
    const file = conf(`
      <capability name="virtio" os="linux" distro="rhel" major="5" arch="x86_64"><dep name="a"/></capability>
      <capability name="virtio" os="linux" distro="rhel" major="5"><dep name="b"/></capability>`);
    const m = matchCapability([file], { name: "virtio", os: "linux", distro: "rhel", major: "5", minor: "4" });
    expect(m.rung).toBe(4);
    expect(m.element.deps.map((d) => d.name)).toEqual(["b"]);
    expect(m.shadowed).toEqual([]);
  });

  test("an arch passed by the caller is ignored, also in the error message", () => {
    const query = { name: "qxl", os: "linux", distro: "rhel", major: "5", minor: "4", arch: "x86_64" };
    expect(() => matchCapability([conf("")], query)).toThrow(
      new NoMatchError("capability", "os='linux' name='qxl' distro='rhel' major='5' minor='4'", false),
    );
    expect(() => matchCapability([conf("")], query)).toThrow(
      "No capability in config matches os='linux' name='qxl' distro='rhel' major='5' minor='4'",
    );
  });
});

describe("search text and paths", () => {
  test.each<[MatchQuery, string]>([
    [RHEL53_I686, "os='linux' name='kernel' distro='rhel' major='5' minor='3' arch='i686'"],
    [{ name: "rhsrvany", os: "windows", major: "6", minor: "1", arch: "i386" }, "os='windows' name='rhsrvany' major='6' minor='1' arch='i386'"],
    [{ name: "virtio", os: "linux", distro: "fedora" }, "os='linux' name='virtio' distro='fedora'"],
  ])("%j -> %s", (query, text) => {
    expect(formatSearch(query)).toBe(text);
  });

  test.each<[string, string | undefined, string]>([
    ["rhel/5/k.rpm", "/var/lib/virt-v2v/software", "/var/lib/virt-v2v/software/rhel/5/k.rpm"],
    ["rhel/5/k.rpm", "/srv/soft/", "/srv/soft/rhel/5/k.rpm"],
    ["/usr/share/virtio-win/drivers/amd64/Win2008", "/srv/soft", "/usr/share/virtio-win/drivers/amd64/Win2008"],
    ["windows/rhsrvany.exe", undefined, "windows/rhsrvany.exe"],
    ["x.rpm", "/", "/x.rpm"],
  ])("path %s with root %s -> %s", (path, root, expected) => {
    expect(resolveAppPath(path, root)).toBe(expected);
  });
});

describe("index cache", () => {
  test("an element appended to a file's list after a first match is found", () => {
    const file = conf(`<app name="a" os="linux"><path>1</path></app>`);
    expect(matchApp([file], { name: "a", os: "linux" }).element.path).toBe("1");
    file.apps.push({ ...file.apps[0]!, name: "b", path: "2" });
    expect(matchApp([file], { name: "b", os: "linux" }).element.path).toBe("2");
  });
});
