// The whole-conversion benchmark counts libguestfs appliance starts with a qemu wrapper given to
// libguestfs as LIBGUESTFS_HV: a qemu run with -kernel is an appliance, logged with the program
// that started it; qemu's feature probes (-help, -version) are not; the real qemu runs either way.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { countAppliances, qemuWrapper } from "../../../bench/conversion.ts";

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
