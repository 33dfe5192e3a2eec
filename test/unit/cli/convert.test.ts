// `ferry convert` as a script calls it: the real process, its output and exit status, for
// everything decided before a conversion starts (option syntax, virt-v2v's usage messages,
// --help, --version, --list-profiles, remote mode without a token); and the terminal printer.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test, vi } from "vitest";
import { createPrinter, driversLine, formatBar } from "../../../server/cli/commands/convert-progress.ts";
import type { CliIo } from "../../../server/cli/io.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
vi.setConfig({ testTimeout: 60_000 });

type Run = { status: number | null; stdout: string; stderr: string };

function ferry(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["server/cli/ferry.mjs", "convert", ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, FERRY_TOKEN: undefined, ...env } as NodeJS.ProcessEnv }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr });
    });
  });
}

const HINT = "Try 'ferry convert --help' for more information.\n";

describe.concurrent("bad option syntax: Getopt::Long's words, exit 2", () => {
  test.each([
    [["--foo", "g"], "Unknown option: foo\n"],
    [["-x", "g"], "Unknown option: x\n"],
    [["-i", "libvirtxml", "g.xml", "-os"], "Option os requires an argument\n"],
    [["g", "-f"], "Option config requires an argument\n"],
    [["g", "--network"], "Option network requires an argument\n"],
  ])("ferry convert %j", async (args, message) => {
    expect(await ferry(args)).toEqual({ status: 2, stdout: "", stderr: message + HINT });
  });
});

describe.concurrent("virt-v2v's usage messages, exit 1 as virt-v2v exits", () => {
  test.each([
    [["-i", "libvirtxml"], "You must specify a filename"],
    [["-o", "local"], "You must specify a guest"],
    [["-i", "ova", "x.ova"], "ova is not a valid input method."],
    [["-o", "vmware", "g"], "vmware is not a valid output method."],
    [["-oa", "thin", "g"], "allocation scheme must be sparse or preallocated"],
    [["--vmtype", "laptop", "g"], "vmtype must be either 'desktop' or 'server'."],
    [["-c", "qemu:///system", "g"], "Use -ic or -oc to specify an input or an output connection"],
    [["--root", "second", "g"], 'Unknown --root option "second".'],
  ])("ferry convert %j", async (args, message) => {
    expect(await ferry(args)).toEqual({ status: 1, stdout: "", stderr: `ferry: ${message}\n` });
  });

  test("-f with a file that does not exist: virt-v2v's load error", async () => {
    expect(await ferry(["-f", "/nonexistent/v2v.conf", "-i", "libvirtxml", "g.xml", "-o", "local", "-os", "/tmp"])).toEqual({ status: 1, stdout: "", stderr: "Config file /nonexistent/v2v.conf doesn't exist\n" });
  });

  test("a domain XML that is not there fails at the source, exit 1", async () => {
    const r = await ferry(["-i", "libvirtxml", "/nonexistent/guest.xml", "-o", "local", "-os", "/tmp"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^\[\s+\d+\.\d\] Setting up the source: -i libvirtxml \/nonexistent\/guest\.xml\n$/);
    expect(r.stderr).toMatch(/^ferry: .*\/nonexistent\/guest\.xml/);
  });
});

describe.concurrent("--help, --version, --list-profiles", () => {
  test("--help and -? print the options, exit 0", async () => {
    for (const flag of ["--help", "-?"]) {
      const r = await ferry([flag]);
      expect(r.status).toBe(0);
      for (const opt of ["-i libvirtxml", "-ic URI", "-oc URI", "-os", "-op", "-of raw|qcow2", "-oa sparse|preallocated", "-on NAME", "--config", "--network", "--bridge", "--profile", "--list-profiles", "--root ask|single|first|/dev/...", "--server URL", "FERRY_TOKEN"]) {
        expect(r.stdout, `${flag} ${opt}`).toContain(opt);
      }
    }
  });

  test("--version prints ferry's version", async () => {
    const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    expect(await ferry(["--version"])).toEqual({ status: 0, stdout: `ferry ${version}\n`, stderr: "" });
  });

  test("--list-profiles prints the -f files' profiles in search order, as virt-v2v does", async () => {
    expect(await ferry(["--list-profiles", "-f", "test/fixtures/v2v/user.conf", "-f", "test/fixtures/v2v/shipped-example.xml"])).toEqual({
      status: 0,
      stdout: "Defined target profiles:\n  local\n  rhev\n  rhev-sparse\n  rhev-preallocated\n  libvirt\n",
      stderr: "",
    });
  });

  test("--server without FERRY_TOKEN says where to get one, exit 1", async () => {
    const r = await ferry(["--server", "http://127.0.0.1:9", "-i", "libvirtxml", "g.xml", "-o", "local", "-os", "/tmp"]);
    expect(r).toEqual({ status: 1, stdout: "", stderr: "ferry: --server needs an API token in FERRY_TOKEN (create one in the console under Settings, API tokens).\n" });
  });

  test("--server that does not answer: the connection error, exit 1", async () => {
    // A port that was just free: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const r = await ferry(["--server", `http://127.0.0.1:${port}`, "-i", "libvirtxml", "test/fixtures/domains/xen-pv-pygrub.xml", "-o", "local", "-os", "/tmp"], { FERRY_TOKEN: "ferry_pat_x" });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^ferry: cannot reach http://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
  });
});

describe("the terminal printer", () => {
  function io() {
    const out: string[] = [];
    const err: string[] = [];
    const cli: CliIo = { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), readFile: () => "", readable: () => true, exists: () => true };
    return { cli, out, err };
  }

  test("off a tty: timestamped lines, warnings on stderr, no bar", () => {
    const { cli, out, err } = io();
    let t = 1000;
    const p = createPrinter(cli, { tty: false, start: 0, now: () => t });
    p.line("info", "Setting up the source: -i libvirtxml g.xml");
    p.progress({ stage: "copy", done: 5, total: 10, unit: "bytes" });
    t = 12_345;
    p.line("warn", "Storage volume sda already exists");
    p.line("debug", "hidden");
    p.line("info", "Transferring storage volume g-sda: 10 bytes");
    expect(out.join("")).toBe("[   1.0] Setting up the source: -i libvirtxml g.xml\n[  12.3] Transferring storage volume g-sda: 10 bytes\n");
    expect(err.join("")).toBe("ferry: warning: Storage volume sda already exists\n");
  });

  test("on a tty: the bar is redrawn in place and ends with a newline at 100%", () => {
    const { cli, out } = io();
    const p = createPrinter(cli, { tty: true, start: 0, now: () => 0 });
    p.progress({ stage: "copy", done: 25, total: 100, unit: "bytes", item: "g-sda" });
    p.progress({ stage: "copy", done: 100, total: 100, unit: "bytes", item: "g-sda" });
    expect(out).toEqual([`\r\x1b[K${formatBar({ stage: "copy", done: 25, total: 100, unit: "bytes", item: "g-sda" })}`, `\r\x1b[K${formatBar({ stage: "copy", done: 100, total: 100, unit: "bytes", item: "g-sda" })}`, "\n"]);
    expect(formatBar({ stage: "copy", done: 25, total: 100, unit: "bytes", item: "g-sda" })).toBe("    (25.00/100%) [########----------------------] copy g-sda");
  });

  test("virt-v2v's closing line for each driver outcome", () => {
    expect(driversLine("g", { block: "virtio-blk", net: "virtio-net" })).toBe("g configured with virtio drivers.");
    expect(driversLine("g", { block: "virtio-blk", net: "e1000" })).toBe("g configured with virtio storage only.");
    expect(driversLine("g", { block: "ide", net: "virtio-net" })).toBe("g configured with virtio networking only.");
    expect(driversLine("g", { block: "ide", net: "e1000" })).toBe("g configured without virtio drivers.");
  });
});
