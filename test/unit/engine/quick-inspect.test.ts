// The pure parts of Ferry's own guest reading (quick-inspect.ts): what it reads as libguestfs
// does, and what it hands to libguestfs (NotQuick) rather than guess.
import { describe, expect, test } from "vitest";
import {
  NotQuick,
  candidateFilesystems,
  classifyMounted,
  parseBlkid,
  filesystemDevices,
  parseFstab,
  parseHostname,
  parseRelease,
  parseRpmList,
  resolveFstab,
  type DeviceFacts,
} from "../../../server/engine/quick-inspect.ts";

const notQuick = (f: () => unknown, reason: RegExp) => {
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(NotQuick);
  expect((error as Error).message).toMatch(reason);
};

describe("filesystems", () => {
  test("what list-filesystems would look at: unpartitioned devices, then partitions; not the transfer ISO", () => {
    expect(filesystemDevices(["/dev/sda", "/dev/sdb", "/dev/sdc"], ["/dev/sda1", "/dev/sda2", "/dev/sdc1"], "/dev/sdc")).toEqual(["/dev/sdb", "/dev/sda1", "/dev/sda2"]);
    expect(filesystemDevices(["/dev/sda"], [], undefined)).toEqual(["/dev/sda"]);
  });

  test("blkid output", () => {
    expect(parseBlkid("DEVNAME: /dev/sda1\nUUID: 7139-ab\nLABEL: /boot\nTYPE: ext3\n")).toMatchObject({ UUID: "7139-ab", LABEL: "/boot", TYPE: "ext3" });
  });

  test("swap, unknown and LVM physical volumes are left out; btrfs, ntfs, LUKS, md members and ISO 9660 go to libguestfs", () => {
    const fses = [
      { device: "/dev/sda1", type: "ext3" },
      { device: "/dev/sda2", type: "swap" },
      { device: "/dev/sda3", type: "unknown" },
      { device: "/dev/sda4", type: "vfat" },
      { device: "/dev/sda5", type: "LVM2_member" },
    ];
    expect(candidateFilesystems(fses)).toEqual([
      { device: "/dev/sda1", type: "ext3" },
      { device: "/dev/sda4", type: "vfat" },
    ]);
    for (const type of ["btrfs", "ntfs", "crypto_LUKS", "ufs", "linux_raid_member", "iso9660"]) {
      notQuick(() => candidateFilesystems([...fses, { device: "/dev/sdb", type }]), new RegExp(`/dev/sdb holds ${type}`));
    }
  });
});

describe("what a mounted filesystem is", () => {
  const fs = (dirs: string[], files: string[], links: Record<string, string> = {}) => ({
    isDir: async (p: string) => dirs.includes(p),
    isFile: async (p: string) => files.includes(p),
    readlink: async (p: string) => links[p],
  });

  test("a Linux root: /etc, /bin (or /bin -> usr/bin) and /etc/fstab or /etc/hosts", async () => {
    expect(await classifyMounted(["bin", "etc", "usr", "var"], fs(["/etc", "/bin"], ["/etc/fstab"]))).toBe("root");
    expect(await classifyMounted(["bin", "etc", "usr"], fs(["/etc"], ["/etc/hosts"], { "/bin": "usr/bin" }))).toBe("root");
    expect(await classifyMounted(["bin", "etc"], fs(["/etc", "/bin"], []))).toBe("other");
  });

  test("a grub /boot, /var or an EFI partition is no root", async () => {
    expect(await classifyMounted(["grub", "vmlinuz-2.6.18"], fs(["/grub"], ["/grub/grub.conf"]))).toBe("other");
    expect(await classifyMounted(["log", "run", "spool"], fs(["/log", "/run", "/spool"], []))).toBe("other");
    expect(await classifyMounted(["EFI"], fs(["/EFI"], []))).toBe("other");
  });

  test("other systems and a separate /usr go to libguestfs", async () => {
    await expect(classifyMounted(["Windows", "Program Files"], fs([], []))).rejects.toThrow(/\/windows at the top/);
    await expect(classifyMounted(["bin", "etc"], fs(["/etc", "/bin"], ["/etc/freebsd-update.conf", "/etc/fstab"]))).rejects.toThrow(/FreeBSD/);
    await expect(classifyMounted(["bin", "etc", "share", "local", "lib"], fs(["/etc", "/bin", "/share", "/local"], []))).rejects.toThrow(/separate \/usr/);
  });
});

describe("the release", () => {
  test("/etc/redhat-release through libguestfs's ladder: RHEL, RHEL 4's Update, CentOS, Scientific Linux, Fedora", () => {
    const rh = (text: string) => parseRelease(new Set(["redhat-release"]), { redhatRelease: `${text}\n` });
    expect(rh("Red Hat Enterprise Linux Server release 5.4 (Tikanga)")).toEqual({ distro: "rhel", major: "5", minor: "4", productName: "Red Hat Enterprise Linux Server release 5.4 (Tikanga)" });
    expect(rh("Red Hat Enterprise Linux AS release 4 (Nahant Update 8)")).toMatchObject({ distro: "rhel", major: "4", minor: "8" });
    expect(rh("Red Hat Enterprise Linux Server release 6 (Santiago)")).toMatchObject({ distro: "rhel", major: "6", minor: "0" });
    expect(rh("CentOS release 5.11 (Final)")).toMatchObject({ distro: "centos", major: "5", minor: "11" });
    expect(rh("Scientific Linux release 6.4 (Carbon)")).toMatchObject({ distro: "scientificlinux", major: "6", minor: "4" });
    expect(rh("Fedora release 14 (Laughlin)")).toMatchObject({ distro: "fedora", major: "14", minor: "0" });
    notQuick(() => rh("Acme Linux release 3.1"), /\/etc\/redhat-release: Acme Linux/);
  });

  test("/etc/os-release of RHEL and Fedora comes first", () => {
    const etc = new Set(["os-release", "redhat-release", "system-release"]);
    expect(parseRelease(etc, { osRelease: 'NAME="Red Hat Enterprise Linux"\nID="rhel"\nVERSION_ID="9.4"\nPRETTY_NAME="Red Hat Enterprise Linux 9.4 (Plow)"\n', redhatRelease: "x\n" })).toEqual({
      distro: "rhel",
      major: "9",
      minor: "4",
      productName: "Red Hat Enterprise Linux 9.4 (Plow)",
    });
    expect(parseRelease(etc, { osRelease: "ID=fedora\nVERSION_ID=39\nPRETTY_NAME='Fedora Linux 39 (Server Edition)'\n" })).toMatchObject({ distro: "fedora", major: "39", minor: "0" });
  });

  test("other distributions, release files read before redhat-release, and unusual files go to libguestfs", () => {
    notQuick(() => parseRelease(new Set(["os-release"]), { osRelease: "ID=ubuntu\nVERSION_ID=22.04\nPRETTY_NAME=Ubuntu\n" }), /ID=ubuntu/);
    notQuick(() => parseRelease(new Set(["os-release"]), { osRelease: 'ID=rhel\nPRETTY_NAME="RHEL"\n' }), /no VERSION_ID/);
    notQuick(() => parseRelease(new Set(["os-release"]), { osRelease: 'ID=rhel\nPRETTY_NAME="$X"\nVERSION_ID=9\n' }), /simple KEY=value/);
    notQuick(() => parseRelease(new Set(["centos-release", "redhat-release"]), { redhatRelease: "CentOS release 5.4 (Final)\n" }), /\/etc\/centos-release/);
    notQuick(() => parseRelease(new Set(["lsb-release", "redhat-release"]), { lsbRelease: "DISTRIB_ID=Ubuntu\n", redhatRelease: "Red Hat Enterprise Linux Server release 5.4\n" }), /lsb-release/);
    notQuick(() => parseRelease(new Set(["debian_version"]), {}), /\/etc\/debian_version/);
    notQuick(() => parseRelease(new Set([]), {}), /no release file/);
    // RHEL's own lsb-release holds only LSB_VERSION: libguestfs passes over it.
    expect(parseRelease(new Set(["lsb-release", "redhat-release"]), { lsbRelease: "LSB_VERSION=core-4.0-amd64\n", redhatRelease: "Red Hat Enterprise Linux Server release 5.4 (Tikanga)\n" })).toMatchObject({ major: "5" });
  });
});

describe("the hostname", () => {
  test("/etc/HOSTNAME, /etc/hostname, then HOSTNAME in /etc/sysconfig/network", () => {
    expect(parseHostname({ HOSTNAME: "old.example.com\n", hostname: "new.example.com\n" })).toBe("old.example.com");
    expect(parseHostname({ hostname: "\n", network: "NETWORKING=yes\nHOSTNAME=rhel54.example.com\n" })).toBe("rhel54.example.com");
    expect(parseHostname({ network: "NETWORKING=yes\n" })).toBeUndefined();
    expect(parseHostname({})).toBeUndefined();
  });

  test("a quoted or repeated HOSTNAME goes to libguestfs (Augeas may keep the quotes)", () => {
    notQuick(() => parseHostname({ network: 'HOSTNAME="a.example.com"\n' }), /HOSTNAME="a.example.com"/);
    notQuick(() => parseHostname({ network: "HOSTNAME=a\nHOSTNAME=b\n" }), /set twice/);
    notQuick(() => parseHostname({ network: "if true; then\nHOSTNAME=a\nfi\n" }), /simple KEY=value/);
  });
});

describe("/etc/fstab", () => {
  const facts: DeviceFacts = {
    devices: ["/dev/sda", "/dev/sdb", "/dev/sdc"],
    partitions: new Set(["/dev/sda1", "/dev/sda2", "/dev/sdb1"]),
    lvs: ["/dev/VolGroup00/LogVol00", "/dev/VolGroup00/LogVol01", "/dev/vg-data/lv-home"],
    byUuid: new Map([["1111-2222", "/dev/sda1"]]),
    byLabel: new Map([["/boot", "/dev/sda1"]]),
    crypttab: false,
  };
  const fstab = (text: string, root: string, f: DeviceFacts = facts) => resolveFstab(parseFstab(text), root, f);

  test("xvd, hd, sd and vd names by drive order; pseudo filesystems, swap and /dev/shm left out", () => {
    expect(
      fstab("/dev/xvda2 / ext3 defaults 1 1\n/dev/xvda1 /boot ext3 defaults 1 2\ntmpfs /dev/shm tmpfs defaults 0 0\nproc /proc proc defaults 0 0\n/dev/xvdb1 swap swap defaults 0 0\n/dev/cdrom /media/cdrom auto noauto 0 0\n", "/dev/sda2"),
    ).toEqual([
      { mountpoint: "/", device: "/dev/sda2" },
      { mountpoint: "/boot", device: "/dev/sda1" },
    ]);
    // Shortest first: the order to mount them in.
    expect(fstab("/dev/hdb1 //data// ext3 defaults 0 0\n/dev/sda2 / ext3 defaults 0 0\n", "/dev/sda2")).toEqual([
      { mountpoint: "/", device: "/dev/sda2" },
      { mountpoint: "/data", device: "/dev/sdb1" },
    ]);
  });

  test("LVM by /dev/VG/LV and by /dev/mapper name ('-' doubled), UUID= and LABEL= by blkid", () => {
    expect(
      fstab("/dev/VolGroup00/LogVol00 / ext3 defaults 1 1\nLABEL=/boot /boot ext3 defaults 1 2\n/dev/mapper/vg--data-lv--home /home ext4 defaults 1 2\n", "/dev/VolGroup00/LogVol00"),
    ).toEqual([
      { mountpoint: "/", device: "/dev/VolGroup00/LogVol00" },
      { mountpoint: "/boot", device: "/dev/sda1" },
      { mountpoint: "/home", device: "/dev/vg-data/lv-home" },
    ]);
    expect(fstab('UUID="1111-2222" / ext4 defaults 1 1\n', "/dev/sda1")).toEqual([{ mountpoint: "/", device: "/dev/sda1" }]);
  });

  test("an fstab with no device entries: the root alone", () => {
    expect(fstab("# empty\ntmpfs /tmp tmpfs defaults 0 0\n", "/dev/sda1")).toEqual([{ mountpoint: "/", device: "/dev/sda1" }]);
  });

  test("what it cannot resolve exactly goes to libguestfs", () => {
    notQuick(() => fstab("UUID=9999 / ext4 defaults 1 1\n", "/dev/sda1"), /no filesystem has UUID=9999/);
    notQuick(() => fstab("/dev/md0 / ext4 defaults 1 1\n", "/dev/md0"), /\/dev\/md0/);
    notQuick(() => fstab("/dev/xvdd1 / ext4 defaults 1 1\n", "/dev/sda1"), /no partition here/);
    notQuick(() => fstab("PARTUUID=abcd / ext4 defaults 1 1\n", "/dev/sda1"), /PARTUUID/);
    notQuick(() => fstab("/dev/mapper/luks-root / ext4 defaults 1 1\n", "/dev/sda1", { ...facts, crypttab: true }), /crypttab/);
    notQuick(() => fstab("/dev/sda1 / btrfs subvol=root 0 0\n", "/dev/sda1"), /btrfs/);
    notQuick(() => fstab("/dev/sda1 / ext4 defaults 1 1\n/dev/sda2 / ext4 defaults 1 1\n", "/dev/sda1"), /2 root entries/);
    notQuick(() => fstab("/dev/sda2 / ext4 defaults 1 1\n", "/dev/sda1"), /not the root found/);
    notQuick(() => parseFstab("/dev/sda1\n"), /line 1/);
    notQuick(() => parseFstab("/dev/disk/by-label/My\\040Disk / ext4 defaults 0 0\n"), /line 1/);
  });
});

describe("rpm's package list", () => {
  test("name, epoch, version, release and arch as inspect-list-applications2 gives them ((none) and epoch 0 are no value)", () => {
    expect(parseRpmList("bash\t(none)\t3.2\t24.el5\tx86_64\nperl\t4\t5.8.8\t27.el5\tx86_64\ngpg-pubkey\t(none)\t37017186\t45761324\t(none)\nzlib\t0\t1.2.3\t3\ti386\n")).toEqual([
      { name: "bash", epoch: null, version: "3.2", release: "24.el5", arch: "x86_64" },
      { name: "perl", epoch: "4", version: "5.8.8", release: "27.el5", arch: "x86_64" },
      { name: "gpg-pubkey", epoch: null, version: "37017186", release: "45761324", arch: null },
      { name: "zlib", epoch: null, version: "1.2.3", release: "3", arch: "i386" },
    ]);
  });

  test("no packages, or anything but the five columns (an rpm that failed), goes to libguestfs", () => {
    notQuick(() => parseRpmList(""), /no packages/);
    notQuick(() => parseRpmList("error: cannot open Packages database in /var/lib/rpm\n"), /rpm printed: error/);
  });
});
