import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { createMemoryContext } from "../../../server/engine/context.ts";
import { buildTransferIso, TRANSFER_ISO_CACHE_KEEP, TRANSFER_ISO_STAGE, TransferIsoError } from "../../../server/engine/transfer-iso.ts";
import { parseConfig } from "../../../server/v2v/index.ts";
import { scratch } from "./helpers.ts";

const tmp = scratch("iso");
afterAll(tmp.cleanup);

function ctx() {
  return createMemoryContext({ scratchDir: tmp.dir });
}

/** Volume id and every path in the ISO, read back with xorriso. */
function readIso(iso: string): { volumeId: string | undefined; files: string[] } {
  const out = execFileSync("xorriso", ["-indev", iso, "-pvd_info", "-find", "/", "-type", "f"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  return {
    volumeId: /^Volume Id\s*:\s*(.*)$/m.exec(out)?.[1]?.trim(),
    files: out
      .split("\n")
      .filter((line) => line.startsWith("'/"))
      .map((line) => line.slice(1, -1))
      .sort(),
  };
}

function extract(iso: string, path: string): string {
  const out = join(tmp.dir, `extracted-${Math.random().toString(36).slice(2)}`);
  execFileSync("xorriso", ["-osirrox", "on", "-indev", iso, "-extract", path, out], { stdio: "ignore" });
  return readFileSync(out, "utf8");
}

describe("buildTransferIso", () => {
  test("readable apps at their config paths, volume id __virt-v2v_transfer__", async () => {
    const root = join(tmp.dir, "software");
    mkdirSync(join(root, "rhel/5"), { recursive: true });
    mkdirSync(join(root, "windows"), { recursive: true });
    writeFileSync(join(root, "rhel/5/kernel-2.6.18-164.el5.x86_64.rpm"), "kernel rpm");
    writeFileSync(join(root, "windows/rhsrvany.exe"), "srvany");
    // A repository may hold links; the ISO must hold the file itself.
    symlinkSync(join(root, "rhel/5/kernel-2.6.18-164.el5.x86_64.rpm"), join(root, "rhel/5/kernel-link.rpm"));
    const absolute = join(tmp.dir, "abs-tool.rpm");
    writeFileSync(absolute, "absolute");
    const unreadable = join(root, "rhel/5/secret.rpm");
    writeFileSync(unreadable, "x");
    chmodSync(unreadable, 0o000);
    const config = parseConfig(
      `<virt-v2v>
        <path-root>${root}</path-root>
        <app os="linux" distro="rhel" major="5" arch="x86_64" name="kernel"><path>rhel/5/kernel-2.6.18-164.el5.x86_64.rpm</path></app>
        <app os="linux" distro="rhel" major="5" name="linked"><path>rhel/5/kernel-link.rpm</path></app>
        <app os="windows" name="rhsrvany"><path>windows/rhsrvany.exe</path></app>
        <app os="linux" name="abs"><path>${absolute}</path></app>
        <app os="linux" name="gone"><path>rhel/5/missing.rpm</path></app>
        <app os="linux" name="secret"><path>rhel/5/secret.rpm</path></app>
      </virt-v2v>`,
      "virt-v2v.conf",
    );
    const output = join(tmp.dir, "transfer.iso");
    const iso = await buildTransferIso(ctx(), { files: [config], output });
    expect(iso?.path).toBe(output);
    const read = readIso(output);
    expect(read.volumeId).toBe("__virt-v2v_transfer__");
    const expected = [
      "/rhel/5/kernel-2.6.18-164.el5.x86_64.rpm",
      "/rhel/5/kernel-link.rpm",
      "/windows/rhsrvany.exe",
      absolute,
    ];
    // Mode 000 is unreadable, except to root (who can read it, so it belongs in the ISO).
    if (process.getuid?.() === 0) expected.push("/rhel/5/secret.rpm");
    expect(read.files).toEqual(expected.sort());
    expect(extract(output, "/rhel/5/kernel-link.rpm")).toBe("kernel rpm");
    expect(extract(output, absolute)).toBe("absolute");
  });

  test("no readable item: no ISO", async () => {
    const c = ctx();
    const config = parseConfig(`<virt-v2v><app os="linux" name="x"><path>/nonexistent/x.rpm</path></app></virt-v2v>`, "a.conf");
    const output = join(tmp.dir, "none.iso");
    expect(await buildTransferIso(c, { files: [config], output })).toBeUndefined();
    expect(existsSync(output)).toBe(false);
    expect(c.lines).toContainEqual({
      level: "info",
      message: "No readable software in the configuration: no transfer ISO",
      stage: TRANSFER_ISO_STAGE,
    });
  });

  test("--software-root replaces the path-root", async () => {
    const repo = join(tmp.dir, "repo");
    mkdirSync(join(repo, "rhel"), { recursive: true });
    writeFileSync(join(repo, "rhel/a.rpm"), "a");
    const config = parseConfig(
      `<virt-v2v><path-root>/elsewhere</path-root><app os="linux" name="a"><path>rhel/a.rpm</path></app></virt-v2v>`,
      "b.conf",
    );
    const output = join(tmp.dir, "root.iso");
    const iso = await buildTransferIso(ctx(), { files: [config], output, softwareRoot: repo });
    expect(iso?.entries.map((e) => e.hostPath)).toEqual([join(repo, "rhel/a.rpm")]);
    expect(readIso(output).files).toEqual(["/rhel/a.rpm"]);
  });

  test("xorriso failing: virt-v2v's message with xorriso's output", async () => {
    const file = join(tmp.dir, "one.rpm");
    writeFileSync(file, "1");
    const config = parseConfig(`<virt-v2v><app os="linux" name="a"><path>${file}</path></app></virt-v2v>`, "c.conf");
    const error = await buildTransferIso(ctx(), { files: [config], output: join(tmp.dir, "no/such/dir/t.iso") }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TransferIsoError);
    expect((error as Error).message).toMatch(/^Failed to create transfer iso\. Command output was:\n.*xorriso/s);
  });

  test("an agent's kept ISOs: reused while the files are the same, built again when one changes, the three last used kept", async () => {
    const repo = join(tmp.dir, "cached-repo");
    mkdirSync(join(repo, "rhel/5"), { recursive: true });
    const rpm = join(repo, "rhel/5/kernel.rpm");
    writeFileSync(rpm, "kernel v1");
    const config = parseConfig(`<virt-v2v><path-root>${repo}</path-root><app os="linux" name="kernel"><path>rhel/5/kernel.rpm</path></app></virt-v2v>`, "cached.conf");
    const cacheDir = join(tmp.dir, "agent-scratch", "transfer-isos");
    const attempt = (n: number) => {
      const dir = join(tmp.dir, "agent-scratch", `conv-${n}-attempt-1`);
      mkdirSync(dir, { recursive: true });
      return join(dir, "transfer.iso");
    };
    const building = (c: ReturnType<typeof ctx>) => c.lines.some((l) => l.message.startsWith("Building the transfer ISO"));

    const first = ctx();
    const one = attempt(1);
    expect((await buildTransferIso(first, { files: [config], output: one, cacheDir }))?.path).toBe(one);
    expect(building(first)).toBe(true);
    expect(extract(one, "/rhel/5/kernel.rpm")).toBe("kernel v1");

    // The same files: no xorriso run; the conversion's ISO is the kept one (one inode, two names).
    const second = ctx();
    const two = attempt(2);
    await buildTransferIso(second, { files: [config], output: two, cacheDir });
    expect(building(second)).toBe(false);
    expect(second.lines).toContainEqual({ level: "info", message: "Using the transfer ISO built earlier from the same 1 file", stage: TRANSFER_ISO_STAGE });
    expect(statSync(two).ino).toBe(statSync(one).ino);

    // The RPM replaced by a newer build: a new ISO with the new file.
    writeFileSync(rpm, "kernel v2, rebuilt");
    utimesSync(rpm, new Date(Date.now() + 5000), new Date(Date.now() + 5000));
    const third = ctx();
    const three = attempt(3);
    await buildTransferIso(third, { files: [config], output: three, cacheDir });
    expect(building(third)).toBe(true);
    expect(extract(three, "/rhel/5/kernel.rpm")).toBe("kernel v2, rebuilt");
    // The first conversion's ISO is its own: unchanged under it.
    expect(extract(one, "/rhel/5/kernel.rpm")).toBe("kernel v1");

    // More distinct sets than are kept: the least recently used go; nothing half written stays.
    for (let i = 0; i < TRANSFER_ISO_CACHE_KEEP + 1; i++) {
      writeFileSync(rpm, `kernel v${i + 3}`);
      utimesSync(rpm, new Date(Date.now() + 10_000 * (i + 2)), new Date(Date.now() + 10_000 * (i + 2)));
      await buildTransferIso(ctx(), { files: [config], output: attempt(4 + i), cacheDir });
    }
    const isos = readdirSync(cacheDir);
    expect(isos).toHaveLength(TRANSFER_ISO_CACHE_KEEP);
    expect(isos.every((name) => /^transfer-[0-9a-f]{32}\.iso$/.test(name))).toBe(true);
    // The newest is among them and still reused.
    const again = ctx();
    await buildTransferIso(again, { files: [config], output: attempt(99), cacheDir });
    expect(building(again)).toBe(false);
    expect(extract(attempt(99), "/rhel/5/kernel.rpm")).toBe(`kernel v${TRANSFER_ISO_CACHE_KEEP + 3}`);
  });
});
