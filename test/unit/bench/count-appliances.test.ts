// The whole-conversion benchmark counts libguestfs appliance starts with a qemu wrapper given to
// libguestfs as LIBGUESTFS_HV: a qemu run with -kernel is an appliance, logged with the program
// that started it; qemu's feature probes (-help, -version) are not; the real qemu runs either way.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { countAppliances, ferrySplit, qemuWrapper } from "../../../bench/conversion.ts";

const dir = mkdtempSync(path.join(tmpdir(), "ferry-qemu-wrapper-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("countAppliances", () => {
  test("counts the logged appliance starts by the program that started them", () => {
    const log = ["appliance /usr/bin/virt-inspector", "appliance virt-customize", "appliance /usr/bin/virt-v2v-in-place", ""].join("\n");
    expect(countAppliances(log)).toEqual({ appliances: 3, programs: { "virt-inspector": 1, "virt-customize": 1, "virt-v2v-in-place": 1 } });
  });
  test("an empty log has none", () => {
    expect(countAppliances("")).toEqual({ appliances: 0, programs: {} });
  });
});

describe("qemuWrapper", () => {
  test("logs a run with -kernel and who started it, not a probe; both reach the real program with their arguments", () => {
    const log = path.join(dir, "appliances.log");
    const wrapper = path.join(dir, "qemu");
    writeFileSync(wrapper, qemuWrapper("/bin/echo", log), { mode: 0o755 });
    writeFileSync(log, "");
    expect(execFileSync(wrapper, ["-help"], { encoding: "utf8" })).toBe("-help\n");
    expect(execFileSync(wrapper, ["-global", "virtio-blk-pci.scsi=off", "-kernel", "/var/tmp/kernel"], { encoding: "utf8" })).toBe("-global virtio-blk-pci.scsi=off -kernel /var/tmp/kernel\n");
    // execFileSync runs the wrapper straight from this process: it is the starting program here.
    expect(countAppliances(readFileSync(log, "utf8"))).toEqual({ appliances: 1, programs: { [path.basename(process.execPath)]: 1 } });
  });
});

describe("ferrySplit", () => {
  // Ferry's progress lines as `ferry convert` printed them for the test guest (abridged).
  const stdout = [
    "[   0.0] Setting up the source: -i libvirtxml /w/bench-rhel54.xml",
    "[   0.2] Inspecting the source",
    "[  24.3] Found Red Hat Enterprise Linux Server release 5.4 (Tikanga) (linux rhel 5.4 x86_64) on /dev/sda1, 5 packages",
    "[  26.7] Installed rhel/5/kernel-2.6.18-164.el5.x86_64.rpm alongside the existing kernel (rpm -i)",
    "[  27.0] Transferring storage volume bench-rhel54-sda: 85157888 bytes",
    "[  27.1] Setting up the source: -i libvirtxml /tmp/ferry-convert-hLXoRk/bench-rhel54-in-place.xml",
    "[  28.1] Opening the source",
    "[  75.3] Finishing off",
    "Conversion completed successfully.",
    "",
  ].join("\n");
  test("the time before virt-v2v-in-place started (its own source line), and the rest", () => {
    expect(ferrySplit(stdout, 75_700)).toEqual({ beforeConvertMs: 27_100, convertMs: 48_600 });
  });
  test("a run that never reached virt-v2v-in-place has no split", () => {
    expect(ferrySplit(stdout.split("\n").slice(0, 4).join("\n"), 30_000)).toBeUndefined();
  });
});
