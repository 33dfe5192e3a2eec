// `ferry convert` as a script runs virt-v2v: the real `ferry` process converts the synthetic
// RHEL 5.4 Xen guest with every real tool (xorriso, qemu-img, guestfish for inspection and the
// install in one appliance, virt-v2v-in-place) to -o local, with the team's layer (-f) holding
// the non-Xen kernel RPM. Then what the user checks: the exit status, the progress lines,
// DIR/NAME-sda and DIR/NAME.xml, the installed kernel booting and fstab inside the converted
// disk, and the source disk unchanged.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { RHEL5_KERNEL_PATH, buildRhel5Guest, readGuestFiles, rhel5SiteConf, type Rhel5Guest } from "../../helpers/rhel5-guest.ts";
import { qemuImgInfo, scratch } from "../engine/helpers.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const NAME = "ferry-cli-rhel54";
const tmp = scratch("cli-convert");
let guest: Rhel5Guest;
let layer: string;

type Run = { status: number | null; stdout: string; stderr: string };

function ferry(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["server/cli/ferry.mjs", ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  guest = await buildRhel5Guest(join(tmp.dir, "guest"), { name: NAME });
  const repo = join(tmp.dir, "repo");
  mkdirSync(join(repo, "rhel/5"), { recursive: true });
  copyFileSync(guest.kernelRpm, join(repo, RHEL5_KERNEL_PATH));
  layer = join(tmp.dir, "site.conf");
  writeFileSync(layer, rhel5SiteConf({ pathRoot: repo }));
}, 900_000);

afterAll(() => tmp.cleanup());

describe("ferry convert -i libvirtxml GUEST.xml -o local -os DIR -of qcow2 -oa sparse", () => {
  test("converts the guest: exit 0, virt-v2v's lines, DIR/NAME-sda (qcow2) and DIR/NAME.xml, fstab on /dev/vda1", async () => {
    const out = join(tmp.dir, "out");
    mkdirSync(out);
    const sourceSum = createHash("sha256").update(readFileSync(guest.disk)).digest("hex");
    const started = Date.now();
    const r = await ferry(["convert", "-i", "libvirtxml", guest.xml, "-o", "local", "-os", out, "-of", "qcow2", "-oa", "sparse", "-f", layer, "-f", "server/v2v/vendor/virt-v2v.db.xml"]);
    console.log(`ferry convert (local, whole pipeline): ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(r.stderr).not.toContain("ferry: error");
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^\[\s+\d+\.\d\] Setting up the source: -i libvirtxml /);
    expect(lines.some((l) => /^\[\s+\d+\.\d\] Transferring storage volume /.test(l))).toBe(true);
    expect(r.stdout).toContain(`${NAME} configured with virtio drivers.\nConversion completed successfully.\n`);

    const disk = join(out, `${NAME}-sda`);
    const xml = join(out, `${NAME}.xml`);
    expect(existsSync(disk)).toBe(true);
    expect(qemuImgInfo(disk).format).toBe("qcow2");
    const domain = readFileSync(xml, "utf8");
    expect(domain).toContain(`<name>${NAME}</name>`);
    expect(domain).toContain(disk);
    expect(domain).toContain(`<target dev="vda" bus="virtio"/>`);
    expect(r.stdout).toMatch(/Installed rhel\/5\/kernel-2\.6\.18-164\.el5\.x86_64\.rpm alongside the existing kernel \(rpm -i\)/);
    const files = await readGuestFiles(disk, "qcow2", ["/etc/fstab", "/boot/grub/grub.conf"]);
    expect(files["/etc/fstab"]).toMatch(/^\/dev\/vda1\s+\/\s+ext4/m);
    // The kernel installed before the copy reached the target, and boots.
    expect(files["/boot/grub/grub.conf"]).toContain("kernel /boot/vmlinuz-2.6.18-164.el5 ro root=/dev/vda1 console=ttyS0");
    expect(files["/boot/grub/grub.conf"]).toMatch(/^default=1$/m);
    // The install went to an overlay: the source is as it was.
    expect(createHash("sha256").update(readFileSync(guest.disk)).digest("hex")).toBe(sourceSum);
  }, 900_000);
});
