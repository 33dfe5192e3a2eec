// Ferry's own reading of a guest (quick-inspect.ts) against libguestfs's inspection, in the same
// appliance, on two real images: the RHEL 5.4 Xen guest (one partition, /dev/xvda1 in its fstab)
// and a RHEL 7 layout made from it here (root on LVM and swap as /dev/mapper names, /boot
// found by UUID=, /etc/os-release, /etc/hostname). Each must give exactly the facts and mountpoints
// libguestfs gives; one launch per guest, plus one to build the second image.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createMemoryContext } from "../../../server/engine/context.ts";
import { GuestSession } from "../../../server/engine/guest-session.ts";
import { inspectInSession, libguestfsInspection, parseMountpoints, type InspectorOs } from "../../../server/engine/inspect.ts";
import { quickInspect, type Mountpoint } from "../../../server/engine/quick-inspect.ts";
import { LIBGUESTFS_ENV } from "../../../server/engine/tools.ts";
import { buildRhel5Guest, type Rhel5Guest } from "../../helpers/rhel5-guest.ts";
import { scratch } from "./helpers.ts";

const SLOW = 15 * 60_000;
const tmp = scratch("quick-inspect");
const ctx = () => createMemoryContext({ scratchDir: tmp.dir });
let guest: Rhel5Guest;
let iso: string;
const BOOT_UUID = "5b0f3c1e-8d4a-4e55-9c1b-2f6a7e9d0c11";

beforeAll(async () => {
  guest = await buildRhel5Guest(join(tmp.dir, "guest"));
  // A transfer ISO as the last drive, as the pipeline attaches it: never taken for a guest disk.
  const isoDir = join(tmp.dir, "iso");
  execFileSync("mkdir", ["-p", join(isoDir, "rhel/5")]);
  writeFileSync(join(isoDir, "rhel/5/README"), "software\n");
  iso = join(tmp.dir, "transfer.iso");
  execFileSync("xorriso", ["-as", "mkisofs", "-quiet", "-J", "-R", "-V", "virt-v2v transfer", "-o", iso, isoDir], { stdio: "ignore" });
}, SLOW);
afterAll(tmp.cleanup);

const sorted = (os: InspectorOs) => ({ ...os, packages: [...os.packages].sort((a, b) => a.name.localeCompare(b.name)) });
const byMountpoint = (m: readonly Mountpoint[]) => [...m].sort((a, b) => a.mountpoint.localeCompare(b.mountpoint));

/** Both readings in one appliance: Ferry's first, then libguestfs's; with what was mounted after each. */
async function bothReadings(disk: string): Promise<{ quick: InspectorOs; quickMounts: Mountpoint[]; mountedQuick: string; libguestfs: InspectorOs; libguestfsMounts: Mountpoint[]; mountedLibguestfs: string }> {
  const session = await GuestSession.open(ctx(), [{ path: disk, format: "raw" }], { iso });
  try {
    await session.launch();
    const quick = await quickInspect(session);
    const mountedQuick = await session.call(["mountpoints"]);
    await session.call(["umount-all"]);
    const libguestfs = await libguestfsInspection(session);
    const mountedLibguestfs = await session.call(["mountpoints"]);
    const libguestfsMounts = parseMountpoints(await session.call(["inspect-get-mountpoints", libguestfs.root]));
    return { quick: quick.os, quickMounts: quick.mountpoints, mountedQuick, libguestfs, libguestfsMounts, mountedLibguestfs };
  } finally {
    await session.dispose();
  }
}

describe("quick inspection gives what libguestfs's inspection gives", () => {
  test("the RHEL 5.4 Xen guest: /dev/xvda1 is the appliance's /dev/sda1; release, hostname, arch and rpm database alike", async () => {
    const r = await bothReadings(guest.disk);
    expect(r.quick).toMatchObject({ root: "/dev/sda1", os: "linux", distro: "rhel", major: "5", minor: "4", arch: "x86_64", hostname: "rhel54.example.com" });
    expect(r.quick.packages).toContainEqual({ name: "kernel-xen", epoch: null, version: "2.6.18", release: "164.el5", arch: "x86_64" });
    expect(sorted(r.quick)).toEqual(sorted(r.libguestfs));
    expect(byMountpoint(r.quickMounts)).toEqual(byMountpoint(r.libguestfsMounts));
    expect(r.quickMounts).toEqual([{ mountpoint: "/", device: "/dev/sda1" }]);
    expect(r.mountedQuick).toBe(r.mountedLibguestfs);
  }, SLOW);

  test("a RHEL 7 layout: root on LVM by /dev/mapper name, /boot by UUID=, swap, os-release, /etc/hostname; the same facts and mountpoints", async () => {
    const disk = join(tmp.dir, "rhel7.img");
    const tree = join(tmp.dir, "tree.tar");
    execFileSync("qemu-img", ["create", "-q", "-f", "raw", disk, "256M"]);
    const files: Record<string, string> = {
      "redhat-release": "Red Hat Enterprise Linux Server release 7.9 (Maipo)\n",
      "os-release": 'NAME="Red Hat Enterprise Linux Server"\nVERSION="7.9 (Maipo)"\nID="rhel"\nID_LIKE="fedora"\nVERSION_ID="7.9"\nPRETTY_NAME="Red Hat Enterprise Linux Server 7.9 (Maipo)"\n',
      hostname: "rhel7.example.com\n",
      fstab: [
        "/dev/mapper/VolGroup-lv_root /                       ext4    defaults        1 1",
        `UUID=${BOOT_UUID} /boot                   ext3    defaults        1 2`,
        "/dev/mapper/VolGroup-lv_swap swap                    swap    defaults        0 0",
        "tmpfs                   /dev/shm                tmpfs   defaults        0 0",
        "proc                    /proc                   proc    defaults        0 0",
        "",
      ].join("\n"),
      network: "NETWORKING=yes\n",
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(tmp.dir, name), text);
    const script = [
      // guestfish's --ro would make both drives read-only.
      `add-drive-opts ${guest.disk} format:raw readonly:true`,
      `add-drive-opts ${disk} format:raw`,
      "run",
      // The RHEL 5 guest's files, as a tar.
      "mount-ro /dev/sda1 /",
      `tar-out / ${tree}`,
      "umount-all",
      "part-init /dev/sdb mbr",
      "part-add /dev/sdb p 2048 67583",
      "part-add /dev/sdb p 67584 -2048",
      `mkfs ext3 /dev/sdb1`,
      `set-uuid /dev/sdb1 ${BOOT_UUID}`,
      "pvcreate /dev/sdb2",
      "vgcreate VolGroup /dev/sdb2",
      "lvcreate lv_swap VolGroup 16",
      "lvcreate-free lv_root VolGroup 100",
      "mkswap /dev/VolGroup/lv_swap",
      "mkfs ext4 /dev/VolGroup/lv_root",
      "mount /dev/VolGroup/lv_root /",
      "mkdir /boot",
      "mount /dev/sdb1 /boot",
      `tar-in ${tree} /`,
      `upload ${join(tmp.dir, "redhat-release")} /etc/redhat-release`,
      `upload ${join(tmp.dir, "fstab")} /etc/fstab`,
      `upload ${join(tmp.dir, "network")} /etc/sysconfig/network`,
      `upload ${join(tmp.dir, "os-release")} /etc/os-release`,
      `upload ${join(tmp.dir, "hostname")} /etc/hostname`,
      "umount-all",
      "",
    ].join("\n");
    execFileSync("guestfish", [], { input: script, env: { ...process.env, ...LIBGUESTFS_ENV }, stdio: ["pipe", "ignore", "inherit"] });

    const r = await bothReadings(disk);
    expect(r.quick).toMatchObject({ root: "/dev/VolGroup/lv_root", distro: "rhel", major: "7", minor: "9", hostname: "rhel7.example.com", arch: "x86_64" });
    expect(r.quick.productName).toBe("Red Hat Enterprise Linux Server 7.9 (Maipo)");
    expect(sorted(r.quick)).toEqual(sorted(r.libguestfs));
    expect(byMountpoint(r.quickMounts)).toEqual([
      { mountpoint: "/", device: "/dev/VolGroup/lv_root" },
      { mountpoint: "/boot", device: "/dev/sda1" },
    ]);
    expect(byMountpoint(r.quickMounts)).toEqual(byMountpoint(r.libguestfsMounts));
    expect(r.mountedQuick).toBe(r.mountedLibguestfs);
  }, SLOW);

  test("a guest it does not read with certainty goes to libguestfs, and the log says why", async () => {
    // A release file quick inspection leaves to libguestfs (CentOS's, checked before redhat-release).
    const disk = join(tmp.dir, "other.img");
    execFileSync("cp", ["--sparse=always", guest.disk, disk]);
    writeFileSync(join(tmp.dir, "centos-release"), "CentOS release 5.4 (Final)\n");
    execFileSync("guestfish", ["--format=raw", "-a", disk, "-i", "upload", join(tmp.dir, "centos-release"), "/etc/centos-release"], { env: { ...process.env, ...LIBGUESTFS_ENV } });
    const c = ctx();
    const session = await GuestSession.open(c, [{ path: disk, format: "raw" }], { iso });
    try {
      const facts = await inspectInSession(c, session);
      expect(c.lines.map((l) => l.message)).toContain("Inspecting with libguestfs (/etc/centos-release)");
      // libguestfs's answer for that file, whatever it makes of the rest.
      expect(facts).toMatchObject({ distro: "centos", major: "5", minor: "4" });
      expect(facts.root).toBe("/dev/sda1");
    } finally {
      await session.dispose();
    }
  }, SLOW);
});
