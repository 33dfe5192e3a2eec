import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { createMemoryContext } from "../../../server/engine/context.ts";
import { buildTransferIso, TRANSFER_ISO_STAGE, TransferIsoError } from "../../../server/engine/transfer-iso.ts";
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
});
