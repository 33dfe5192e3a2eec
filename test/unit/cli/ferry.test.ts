// The `ferry` command as a user runs it: a real process, its stdout, stderr and exit status.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test, vi } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const DB = "server/v2v/vendor/virt-v2v.db.xml";
const FIX = "test/fixtures/v2v";

// Each run starts node and tsx: slow enough that the default 5 s could flake on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

type Run = { status: number | null; stdout: string; stderr: string };

function ferry(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["server/cli/ferry.mjs", ...args], { cwd: ROOT, encoding: "utf8" }, (error, stdout, stderr) => {
      const code = error && typeof error.code === "number" ? error.code : error ? null : 0;
      resolve({ status: code, stdout, stderr });
    });
  });
}

const json = (text: string): unknown => JSON.parse(text);

describe.concurrent("ferry --help / --version / unknown verbs", () => {
  test("--version prints the package version", async () => {
    const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    expect(await ferry("--version")).toEqual({ status: 0, stdout: `ferry ${version}\n`, stderr: "" });
  });

  test("--help lists every verb and exits 0", async () => {
    const r = await ferry("--help");
    expect(r.status).toBe(0);
    for (const verb of ["vercmp", "match", "software-plan", "config validate", "config list-profiles"]) {
      expect(r.stdout).toContain(verb);
    }
  });

  test("an unknown verb or option is a usage error (exit 2)", async () => {
    expect(await ferry("frobnicate")).toMatchObject({ status: 2, stderr: expect.stringContaining("unknown command 'frobnicate'") });
    expect(await ferry("match", "--bogus")).toMatchObject({ status: 2, stderr: expect.stringContaining("'--bogus'") });
  });
});

describe.concurrent("ferry vercmp", () => {
  test.each([
    ["1.0", "1.0-1", "-1"],
    ["1:1.0-1", "2.0-1", "1"],
    ["0:1.0-1", "1.0-1", "0"],
    ["2.6.18-128.el5", "2.6.18-92.el5", "1"],
    ["1.0~rc1", "1.0", "-1"],
    ["1.0^git1", "1.0", "1"],
  ])("%s vs %s -> %s", async (a, b, out) => {
    expect(await ferry("vercmp", a, b)).toEqual({ status: 0, stdout: `${out}\n`, stderr: "" });
  });

  test("a malformed version fails (exit 1); a wrong argument count is a usage error", async () => {
    expect((await ferry("vercmp", "1:2:3", "1")).status).toBe(1);
    expect((await ferry("vercmp", "1.0")).status).toBe(2);
  });
});

describe.concurrent("ferry match", () => {
  const RHEL54 = ["--os", "linux", "--distro", "rhel", "--major", "5", "--minor", "4"];

  test("an app: one JSON object with file, rung, joined path and deps", async () => {
    const r = await ferry("match", "-f", DB, "--app", "kernel", ...RHEL54, "--arch", "x86_64");
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    expect(json(r.stdout)).toEqual({
      kind: "app",
      name: "kernel",
      file: DB,
      rung: 3,
      path: "/var/lib/virt-v2v/software/rhel/5/kernel-2.6.18-128.el5.x86_64.rpm",
      deps: ["ecryptfs-utils"],
    });
  });

  test("the first -f file with a match wins, and 'file' is that -f argument", async () => {
    const r = await ferry("match", "-f", `${FIX}/user.conf`, "-f", DB, "--app", "kernel", ...RHEL54, "--arch", "x86_64");
    expect(json(r.stdout)).toMatchObject({
      file: `${FIX}/user.conf`,
      rung: 6,
      path: "/srv/ferry/software/custom/kernel-2.6.18-194.el5.x86_64.rpm",
    });
  });

  test("an absolute path is printed as written; Windows rhsrvany falls to rung 8", async () => {
    const win = ["--os", "windows", "--major", "6", "--minor", "1", "--arch", "x86_64"];
    expect(json((await ferry("match", "-f", DB, "--app", "virtio", ...win)).stdout)).toMatchObject({
      rung: 3,
      path: "/usr/share/virtio-win/drivers/amd64/Win2008",
      deps: [],
    });
    expect(json((await ferry("match", "-f", DB, "--app", "rhsrvany", ...win)).stdout)).toMatchObject({ rung: 8 });
  });

  test("a capability: deps with minversion (or null) and ifinstalled as booleans", async () => {
    const r = await ferry("match", "-f", DB, "--capability", "virtio", ...RHEL54);
    expect(json(r.stdout)).toEqual({
      kind: "capability",
      name: "virtio",
      file: DB,
      rung: 4,
      deps: [
        { name: "kernel", minversion: "2.6.18-128.el5", ifinstalled: false },
        { name: "lvm2", minversion: "2.02.40-6.el5", ifinstalled: false },
        { name: "selinux-policy-targeted", minversion: "2.4.6-203.el5", ifinstalled: true },
      ],
    });
    const qxl = await ferry("match", "-f", DB, "--capability", "qxl", ...RHEL54);
    expect(json(qxl.stdout)).toMatchObject({ deps: [{ name: "xorg-x11-drv-qxl", minversion: null, ifinstalled: false }] });
  });

  test("no match: exit 1 and virt-v2v's message on stderr", async () => {
    const r = await ferry("match", "-f", DB, "--app", "kernel", "--os", "linux", "--distro", "rhel", "--major", "5", "--minor", "3", "--arch", "i386");
    expect(r).toEqual({
      status: 1,
      stdout: "",
      stderr: "No app in config matches os='linux' name='kernel' distro='rhel' major='5' minor='3' arch='i386'\n",
    });
    const cap = await ferry("match", "-f", DB, "--capability", "virtio", "--os", "linux", "--distro", "debian", "--major", "12");
    expect(cap.stderr).toBe("No capability in config matches os='linux' name='virtio' distro='debian' major='12'\n");
  });

  test("bad invocations: exit 2", async () => {
    expect((await ferry("match", "-f", DB, "--os", "linux")).status).toBe(2);
    expect((await ferry("match", "-f", DB, "--app", "a", "--capability", "b", "--os", "linux")).status).toBe(2);
    expect((await ferry("match", "-f", DB, "--app", "a")).status).toBe(2);
    expect((await ferry("match", "--app", "a", "--os", "linux")).status).toBe(2);
  });

  test("unreadable or broken config files: exit 1 with the reason", async () => {
    expect(await ferry("match", "-f", "/nonexistent.conf", "--app", "a", "--os", "linux")).toEqual({
      status: 1,
      stdout: "",
      stderr: "Config file /nonexistent.conf doesn't exist\n",
    });
    const r = await ferry("match", "-f", `${FIX}/broken.conf`, "--app", "a", "--os", "linux");
    expect(r.status).toBe(1);
    expect(r.stderr.split("\n")[0]).toMatch(/^test\/fixtures\/v2v\/broken\.conf:3:5: Capability in config contains a dependency with no name attribute/);
  });
});

describe.concurrent("ferry config", () => {
  test("validate: a valid file exits 0", async () => {
    const r = await ferry("config", "validate", DB);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
  });

  test("validate: each error as FILE:LINE:COL: message, exit 1", async () => {
    const file = `${FIX}/broken.conf`;
    expect(await ferry("config", "validate", file)).toEqual({
      status: 1,
      stdout: "",
      stderr: [
        `${file}:3:5: Capability in config contains a dependency with no name attribute: <dep minversion='2.6.18-128.el5'/>`,
        `${file}:4:22: Unrecognised format for minversion in config: 2.02:40:6. minversion must be in the format [epoch:]version[-release].`,
        `${file}:6:3: app entry in config doesn't contain a path: <app os='linux' name='kernel'/>`,
        "",
      ].join("\n"),
    });
  });

  test("validate: malformed XML and entity declarations are errors with positions", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ferry-cli-"));
    const bad = join(dir, "bad.conf");
    writeFileSync(bad, "<virt-v2v>\n  <app>\n</virt-v2v>\n");
    expect((await ferry("config", "validate", bad)).stderr).toMatch(new RegExp(`^${bad}:3:1: malformed XML: `));
    writeFileSync(bad, '<!DOCTYPE x [<!ENTITY e "e">]>\n<virt-v2v/>\n');
    expect(await ferry("config", "validate", bad)).toMatchObject({ status: 1, stderr: expect.stringMatching(new RegExp(`^${bad}:1:1: <!DOCTYPE> declarations are not allowed`)) });
  });

  test("validate: warnings do not fail the file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ferry-cli-"));
    const file = join(dir, "warn.conf");
    writeFileSync(file, "<virt-v2v>\n  <colour/>\n</virt-v2v>\n");
    expect(await ferry("config", "validate", file)).toMatchObject({
      status: 0,
      stderr: `${file}:2:3: warning: unknown element <colour> in <virt-v2v> is ignored\n`,
    });
  });

  test("list-profiles: virt-v2v's listing over all files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ferry-cli-"));
    const second = join(dir, "second.conf");
    writeFileSync(second, `<virt-v2v><profile name="extra"><method>libvirt</method><storage>x</storage></profile></virt-v2v>`);
    expect(await ferry("config", "list-profiles", "-f", `${FIX}/user.conf`, "-f", second, "-f", DB)).toEqual({
      status: 0,
      stdout: "Defined target profiles:\n  local\n  rhev\n  extra\n",
      stderr: "",
    });
  });
});

describe.concurrent("ferry software-plan", () => {
  const FACTS = `${FIX}/rhel54-xen.facts.json`;
  const MISSING = [
    "rhel/5/kernel-2.6.18-128.el5.x86_64.rpm",
    "rhel/5/ecryptfs-utils-56-8.el5.x86_64.rpm",
    "rhel/5/lvm2-2.02.40-6.el5.x86_64.rpm",
    "rhel/5/device-mapper-1.02.28-2.el5.x86_64.rpm",
    "rhel/5/device-mapper-event-1.02.28-2.el5.x86_64.rpm",
  ];

  test("files missing on the host: the plan on stdout, virt-v2v's message on stderr, exit 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ferry-cli-"));
    const r = await ferry("software-plan", "-f", DB, "--guest", FACTS, "--capability", "virtio", "--software-root", dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `Installation failed because the following files referenced in the configuration file are required, but missing: ${MISSING.join(" ")}\n`,
    );
    expect(json(r.stdout)).toMatchObject({
      install: [],
      upgrade: ["lvm2"],
      kernel: { name: "kernel", arch: "x86_64", version: "2.6.18", release: "164.el5" },
      missing: MISSING,
    });
  });

  test("every file present under --software-root: the plan, exit 0", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ferry-cli-"));
    for (const path of MISSING) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), "");
    }
    const r = await ferry("software-plan", "-f", DB, "--guest", FACTS, "--capability", "virtio", "--software-root", dir);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const plan = json(r.stdout) as { files: { path: string; hostPath: string; kernel: boolean }[]; missing: string[] };
    expect(plan.missing).toEqual([]);
    expect(plan.files.map((f) => f.path)).toEqual(MISSING);
    expect(plan.files[0]).toMatchObject({ kernel: true, hostPath: join(dir, MISSING[0] as string) });
  });

  test("a satisfied capability (RHEL 6 virtio): nothing to do, exit 0", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ferry-cli-"));
    const facts = join(dir, "rhel6.json");
    writeFileSync(facts, JSON.stringify({ os: "linux", distro: "rhel", major: 6, minor: 4, arch: "x86_64", packages: [] }));
    const r = await ferry("software-plan", "-f", DB, "--guest", facts, "--capability", "virtio");
    expect(r.status).toBe(0);
    expect(json(r.stdout)).toMatchObject({ install: [], upgrade: [], kernel: null, files: [], missing: [], satisfied: true });
  });

  test("bad facts or an unknown capability: exit 1 with the reason", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ferry-cli-"));
    const facts = join(dir, "bad.json");
    writeFileSync(facts, JSON.stringify({ distro: "rhel" }));
    expect(await ferry("software-plan", "-f", DB, "--guest", facts, "--capability", "virtio")).toMatchObject({
      status: 1,
      stderr: expect.stringContaining(`${facts}: os: `),
    });
    expect(await ferry("software-plan", "-f", DB, "--guest", FACTS, "--capability", "warp-drive")).toMatchObject({
      status: 1,
      stderr: "No capability in config matches os='linux' name='warp-drive' distro='rhel' major='5' minor='4'\n",
    });
  });
});
