// The whole-conversion benchmark counts libguestfs appliance starts from an strace execve log:
// a qemu run with -kernel is an appliance; qemu's feature probes (-help, -version) are not;
// failed execs (PATH lookups) are not runs at all.
import { describe, expect, test } from "vitest";
import { countAppliances } from "../../../bench/conversion.ts";

const LOG = [
  `100 execve("/usr/bin/virt-inspector", ["virt-inspector", "--format=raw", "-a", "/tmp/g.img"], 0x1 /* 30 vars */) = 0`,
  `101 execve("/usr/local/bin/qemu-system-x86_64", ["qemu-system-x86_64", "-help"], 0x2 /* 30 vars */) = -1 ENOENT (No such file or directory)`,
  `101 execve("/usr/bin/qemu-system-x86_64", ["qemu-system-x86_64", "-help"], 0x2 /* 30 vars */) = 0`,
  `102 execve("/usr/bin/qemu-system-x86_64", ["qemu-system-x86_64", "-global", "virtio-blk-pci.scsi=off", "-kernel", "/var/tmp/.guestfs-0/appliance.d/kernel"], 0x3 /* 30 vars */) = 0`,
  `103 execve("/usr/bin/virt-customize", ["virt-customize", "-a", "/tmp/out.qcow2"], 0x4 /* 30 vars */) = 0`,
  `104 execve("/usr/bin/qemu-system-x86_64", ["qemu-system-x86_64", "-kernel", "/var/tmp/.guestfs-0/appliance.d/kernel"], 0x5 /* 30 vars */) = 0`,
  `105 +++ exited with 0 +++`,
].join("\n");

describe("countAppliances", () => {
  test("counts qemu runs with -kernel and the libguestfs programs that started them", () => {
    expect(countAppliances(LOG)).toEqual({ appliances: 2, programs: { "virt-inspector": 1, "virt-customize": 1 } });
  });
  test("an empty log has none", () => {
    expect(countAppliances("")).toEqual({ appliances: 0, programs: {} });
  });
});
