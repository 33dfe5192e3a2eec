// `ferry convert --copy-only`: the disks copied and the output XML written, with no
// inspection, software or conversion (no libguestfs: a blank generated disk is enough, which
// a full conversion would refuse with "No root device found"). What the user checks: exit 0,
// the copy's lines and none of inspection's, the copied disk equal to the source, NAME.xml
// with the fallback devices; and the option refused with --server.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { xenGuestXml } from "../../helpers/rhel5-guest.ts";
import { MiB, qemuImgCompare, qemuImgInfo, rawImage, scratch } from "../engine/helpers.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const NAME = "ferry-copy-only";
const tmp = scratch("cli-copy-only");
afterAll(() => tmp.cleanup());

type Run = { status: number | null; stdout: string; stderr: string };

function ferry(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["server/cli/ferry.mjs", ...args], { cwd: ROOT, encoding: "utf8" }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr });
    });
  });
}

describe("ferry convert --copy-only -i libvirtxml GUEST.xml -o local -os DIR", () => {
  test("copies the disk and writes DIR/NAME.xml without inspecting or converting", async () => {
    const source = join(tmp.dir, "guest.img");
    rawImage(source, 64 * MiB, [[0, 4 * MiB], [40 * MiB, 4 * MiB]]);
    const xml = join(tmp.dir, "guest.xml");
    writeFileSync(xml, xenGuestXml(NAME, source, "52:54:00:12:34:56"));
    const out = join(tmp.dir, "out");
    mkdirSync(out);

    const r = await ferry(["convert", "--copy-only", "-i", "libvirtxml", xml, "-o", "local", "-os", out, "-of", "qcow2"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Transferring storage volume ${NAME}-sda: 67108864 bytes`));
    expect(r.stdout).not.toContain("Inspecting the source");
    expect(r.stdout).toContain("--copy-only: the guest was not inspected, given software or converted");
    expect(r.stdout).toContain("Conversion completed successfully.");

    const disk = join(out, `${NAME}-sda`);
    expect(qemuImgInfo(disk).format).toBe("qcow2");
    expect(qemuImgCompare(source, disk)).toBe(0);
    const domain = readFileSync(join(out, `${NAME}.xml`), "utf8");
    expect(domain).toContain(`<name>${NAME}</name>`);
    expect(domain).toContain(disk);
    // Not converted: the devices virt-v2v gives a guest it cannot convert.
    expect(domain).toMatch(/<target dev="hda" bus="ide"\/>/);
    expect(domain).toContain(`<model type="rtl8139"/>`);
  });

  test("--copy-only with --server is refused: it runs on this host only", async () => {
    const r = await ferry(["convert", "--copy-only", "--server", "http://127.0.0.1:3539", "-i", "libvirtxml", "x.xml", "-o", "local", "-os", tmp.dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("--copy-only runs on this host only: it cannot be used with --server");
    expect(existsSync(join(tmp.dir, `${NAME}.xml`))).toBe(false);
  });
});
