// Ferry's own reading of a Linux guest in the session's appliance: the same facts libguestfs's
// inspection (`inspect-os`, `inspect-get-*`, `inspect-list-applications2`) gives, for the guests
// whose layout it reads with certainty, without `inspect-os`'s cost. Under emulation inspect-os
// takes 9-12 s here, half of it two Augeas handles (each loads every lens) for /etc/fstab and
// /etc/sysconfig/network; this reading takes 2-4 s, most of it `rpm -qa` and blkid.
//
// It follows libguestfs 1.48's rules (daemon/inspect_fs.ml, inspect_fs_unix.ml,
// inspect_fs_unix_fstab.ml) for what it handles, and hands everything else back (`NotQuick`) to
// libguestfs's inspection in the same appliance: a filesystem other than ext2/3/4, xfs, vfat or
// swap; a root other than Linux, or several; a release file other than /etc/os-release of RHEL or
// Fedora or /etc/redhat-release of RHEL, CentOS, Scientific Linux or Fedora; an fstab entry it
// cannot resolve exactly (md, btrfs, LUKS, by-id, PARTUUID...); a guest whose rpm does not list its
// packages. The pure parts are exported for the unit tests; test/integration/engine/
// quick-inspect.test.ts holds both readings of real images side by side.
import type { InstalledPackage } from "../v2v/guest-facts.ts";
import type { GuestSession } from "./guest-session.ts";
import type { InspectorOs } from "./inspect.ts";

/** The guest is one quick inspection does not read with certainty: libguestfs inspects it. */
export class NotQuick extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "NotQuick";
  }
}

const notQuick = (reason: string): never => {
  throw new NotQuick(reason);
};

export type Mountpoint = { mountpoint: string; device: string };

// ---- pure parts ----------------------------------------------------------------------------

/**
 * The block devices libguestfs's list-filesystems would look at, without its cost (2-3 s here:
 * parted on each device, udev settles): whole devices without partitions, then partitions; the
 * transfer ISO's device left out. Logical volumes come after, where there is a physical volume.
 * Each is then typed with `vfs-type` (blkid), as it does.
 */
export function filesystemDevices(devices: readonly string[], partitions: readonly string[], isoDevice: string | undefined): string[] {
  const ofDevice = (d: string) => partitions.filter((p) => p.startsWith(d) && /^p?\d+$/.test(p.slice(d.length)));
  const guest = devices.filter((d) => d !== isoDevice);
  return [...guest.filter((d) => ofDevice(d).length === 0), ...guest.flatMap(ofDevice)];
}

/** `blkid` (`UUID: 7139...`). */
export function parseBlkid(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^([A-Z_]+): (.*)$/.exec(line.trim());
    if (m) out[m[1] as string] = m[2] as string;
  }
  return out;
}

/** Filesystem types whose root libguestfs would look for and this reading knows how to check. */
const ROOT_TYPES = new Set(["ext2", "ext3", "ext4", "xfs"]);
/** Mounted and checked like libguestfs, never a Linux root here (an EFI system partition). */
const OTHER_TYPES = new Set(["vfat"]);
/** Not mounted by libguestfs's inspection (swap), not mountable (unknown, an extended partition), or not listed as filesystems (LVM physical volumes). */
const SKIPPED_TYPES = new Set(["swap", "unknown", "LVM2_member"]);

export type Filesystem = { device: string; type: string };

/** The typed devices to look at for a root; any other type (btrfs, ntfs, LUKS, ufs...) is libguestfs's to inspect. */
export function candidateFilesystems(fses: readonly Filesystem[]): Filesystem[] {
  const candidates = fses.filter(({ type }) => !SKIPPED_TYPES.has(type));
  const other = candidates.find(({ type }) => !ROOT_TYPES.has(type) && !OTHER_TYPES.has(type));
  if (other) notQuick(`${other.device} holds ${other.type}`);
  return candidates;
}

/** Top-level names that mean an operating system quick inspection does not read (BSD, Hurd, Minix, Windows, DOS). */
const FOREIGN_TOP = ["netbsd", "bsd", "hurd", "service", "windows", "winnt", "system volume information", "program files", "fdos", "dos"];

/**
 * What libguestfs's check_filesystem would make of a mounted filesystem, from what is at its top
 * (`ls /`) and the answers to `probe` (is-dir, is-file, readlink): "root" (a Linux root), "other"
 * (not a root: /boot, /var, /home, an EFI partition), or NotQuick (/usr, or another system).
 */
export async function classifyMounted(top: readonly string[], probe: { isDir(p: string): Promise<boolean>; isFile(p: string): Promise<boolean>; readlink(p: string): Promise<string | undefined> }): Promise<"root" | "other"> {
  const names = new Set(top.map((n) => n.toLowerCase()));
  // Grub /boot is tested first and is never a root.
  if (names.has("grub") || names.has("grub2")) {
    if ((await probe.isFile("/grub/menu.lst")) || (await probe.isFile("/grub/grub.conf")) || (await probe.isFile("/grub2/grub.cfg"))) return "other";
  }
  const foreign = FOREIGN_TOP.find((n) => names.has(n));
  if (foreign) notQuick(`/${foreign} at the top of a filesystem`);
  const hasEtc = names.has("etc") && (await probe.isDir("/etc"));
  if (hasEtc && (await probe.isFile("/etc/freebsd-update.conf"))) notQuick("a FreeBSD root");
  const hasBin = names.has("bin") && ((await probe.isDir("/bin")) || (await probe.readlink("/bin")) === "usr/bin");
  if (hasEtc && hasBin && ((await probe.isFile("/etc/fstab")) || (await probe.isFile("/etc/hosts")))) return "root";
  if (hasEtc && names.has("root") && names.has("home") && names.has("usr")) {
    if (await probe.isFile("/etc/coreos/update.conf")) notQuick("a CoreOS root");
  }
  if (hasEtc && names.has("bin") && names.has("share")) notQuick("a separate /usr filesystem");
  return "other";
}

export type Release = { distro: string; major: string; minor: string; productName: string };

/** Release files libguestfs reads, or knows, without changing what /etc/redhat-release says. */
const RELEASE_FILES_KNOWN = new Set(["os-release", "lsb-release", "redhat-release", "system-release"]);

/** A shell-quoted value as libguestfs's shell_unquote reads it, when it is simple. */
function unquoteSimple(raw: string): string | undefined {
  const v = raw.trim();
  if (/[\\`$]/.test(v)) return undefined;
  const quoted = /^"([^"]*)"$/.exec(v) ?? /^'([^']*)'$/.exec(v);
  if (quoted) return quoted[1];
  return /["'\s]/.test(v) ? undefined : v;
}

/** `KEY=value` lines (comments and blank lines skipped), values as written; undefined when a line is not that simple form. */
export function parseShellVars(text: string): Map<string, string[]> | undefined {
  const vars = new Map<string, string[]>();
  for (const line of text.split("\n").map((l) => l.trim())) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) return undefined;
    const raw = (m[2] as string).trim();
    if (unquoteSimple(raw) === undefined) return undefined;
    vars.set(m[1] as string, [...(vars.get(m[1] as string) ?? []), raw]);
  }
  return vars;
}

/** libguestfs's parse_version_from_major_minor. */
function majorMinor(text: string): { major: string; minor: string } | undefined {
  const mm = /(\d+)\.(\d+)/.exec(text);
  if (mm) return { major: String(Number(mm[1])), minor: String(Number(mm[2])) };
  const m = /(\d+)/.exec(text);
  return m ? { major: String(Number(m[1])), minor: "0" } : undefined;
}

const OS_RELEASE_IDS: Record<string, string> = { rhel: "rhel", fedora: "fedora" };

/** /etc/os-release of RHEL or Fedora (ID, VERSION_ID, PRETTY_NAME), as parse_os_release reads it. */
function osRelease(text: string): Release {
  const vars = parseShellVars(text) ?? notQuick("/etc/os-release is not in the simple KEY=value form");
  const one = (k: string) => {
    const v = vars.get(k);
    return v === undefined ? undefined : unquoteSimple(v[v.length - 1] as string);
  };
  const id = one("ID");
  const distro = id === undefined ? undefined : OS_RELEASE_IDS[id];
  if (distro === undefined) return notQuick(`/etc/os-release ID=${id ?? "(none)"}`);
  const productName = one("PRETTY_NAME") ?? notQuick("/etc/os-release has no PRETTY_NAME");
  const versionId = one("VERSION_ID");
  const version = versionId === undefined ? undefined : majorMinor(versionId);
  if (version === undefined) return notQuick("/etc/os-release has no VERSION_ID");
  return { distro, productName, ...version };
}

/** /etc/redhat-release's first line, through libguestfs's regular expressions in its order. */
const REDHAT_LADDER: [RegExp, string][] = [
  [/Fedora release (\d+)/, "fedora"],
  [/Red Hat.*release (\d+).*Update (\d+)/, "rhel"],
  [/Red Hat.*release (\d+)\.(\d+)/, "rhel"],
  [/Red Hat.*release (\d+)/, "rhel"],
  [/CentOS.*release (\d+).*Update (\d+)/, "centos"],
  [/CentOS.*release (\d+)\.(\d+)/, "centos"],
  [/CentOS.*release (\d+)/, "centos"],
  [/Scientific Linux.*release (\d+).*Update (\d+)/, "scientificlinux"],
  [/Scientific Linux.*release (\d+)\.(\d+)/, "scientificlinux"],
  [/Scientific Linux.*release (\d+)/, "scientificlinux"],
];

/**
 * The distribution, from the release files in /etc (`etc`: its names; `files`: the texts of
 * os-release, lsb-release and redhat-release where they exist).
 */
export function parseRelease(etc: ReadonlySet<string>, files: { osRelease?: string | undefined; lsbRelease?: string | undefined; redhatRelease?: string | undefined }): Release {
  if (files.osRelease !== undefined) return osRelease(files.osRelease);
  if (files.lsbRelease !== undefined && /^\s*DISTRIB_/m.test(files.lsbRelease)) notQuick("/etc/lsb-release names a distribution");
  const other = [...etc].sort().find((n) => /(-release|[-_]version)$/.test(n) && !RELEASE_FILES_KNOWN.has(n));
  if (other !== undefined) notQuick(`/etc/${other}`);
  if (files.redhatRelease === undefined) return notQuick("no release file this reading knows");
  const first = files.redhatRelease.split("\n")[0] ?? "";
  if (first === "") return notQuick("/etc/redhat-release's first line is empty");
  for (const [re, distro] of REDHAT_LADDER) {
    const m = re.exec(first);
    if (!m) continue;
    return { distro, productName: first, major: String(Number(m[1])), minor: m[2] === undefined ? "0" : String(Number(m[2])) };
  }
  return notQuick(`/etc/redhat-release: ${first}`);
}

/** libguestfs's check_hostname_linux: /etc/HOSTNAME, /etc/hostname, then HOSTNAME in /etc/sysconfig/network. */
export function parseHostname(files: { HOSTNAME?: string | undefined; hostname?: string | undefined; network?: string | undefined }): string | undefined {
  for (const text of [files.HOSTNAME, files.hostname]) {
    if (text === undefined) continue;
    const first = text.split("\n")[0] ?? "";
    if (first === "") continue;
    if (/\s|^#/.test(first)) notQuick(`a hostname file's first line: ${first}`);
    return first;
  }
  if (files.network === undefined) return undefined;
  const vars = parseShellVars(files.network) ?? notQuick("/etc/sysconfig/network is not in the simple KEY=value form");
  const values = vars.get("HOSTNAME");
  if (values === undefined) return undefined;
  if (values.length > 1) notQuick("HOSTNAME is set twice in /etc/sysconfig/network");
  const raw = values[0] as string;
  // Augeas keeps quotes in the value: only the unquoted form is read here.
  if (!/^[A-Za-z0-9._-]+$/.test(raw)) notQuick(`HOSTNAME=${raw} in /etc/sysconfig/network`);
  return raw;
}

export type FstabEntry = { spec: string; mountpoint: string; vfstype: string };

/** /etc/fstab's entries, or NotQuick for a line Augeas's fstab lens might read otherwise. */
export function parseFstab(text: string): FstabEntry[] {
  const entries: FstabEntry[] = [];
  for (const [i, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const fields = line.split(/\s+/);
    if (fields.length < 3 || fields.length > 6 || line.includes("\\")) notQuick(`/etc/fstab line ${i + 1}: ${line}`);
    entries.push({ spec: fields[0] as string, mountpoint: fields[1] as string, vfstype: fields[2] as string });
  }
  return entries;
}

/** "///usr//local//" -> "/usr/local" (unix_canonical_path). */
function canonicalPath(p: string): string {
  return p.replace(/\/+/g, "/").replace(/(.)\/$/, "$1");
}

const IGNORED_MOUNTPOINT = (mp: string) => /^\/(dev|proc|selinux|sys)(\/|$)/.test(mp) || mp.startsWith("/media/");

/** The mapper name LVM gives /dev/VG/LV ('-' doubled in each part). */
function mapperName(lv: string): string | undefined {
  const m = /^\/dev\/([^/]+)\/([^/]+)$/.exec(lv);
  return m ? `${(m[1] as string).replace(/-/g, "--")}-${(m[2] as string).replace(/-/g, "--")}` : undefined;
}

function driveIndex(letters: string): number {
  let i = 0;
  for (const c of letters) i = i * 26 + (c.charCodeAt(0) - 96);
  return i - 1;
}

export type DeviceFacts = {
  /** list-devices, in order (the source disks, then the transfer ISO). */
  devices: readonly string[];
  partitions: ReadonlySet<string>;
  /** lvs (/dev/VG/LV). */
  lvs: readonly string[];
  /** Filesystems by UUID and by LABEL (blkid of each). */
  byUuid: ReadonlyMap<string, string>;
  byLabel: ReadonlyMap<string, string>;
  /** Whether /etc/crypttab has an entry (a /dev/mapper name may then be a LUKS device). */
  crypttab: boolean;
};

/**
 * The root's mountpoints from its fstab, resolved as libguestfs's check_fstab does (xvda1 ->
 * the appliance's sda1, /dev/mapper/VG-LV -> /dev/VG/LV, UUID= and LABEL= by blkid), or
 * NotQuick for what it cannot resolve exactly. Only mountpoints starting with / are kept (what
 * inspect-get-mountpoints gives and the pipeline mounts), shortest first: the order to mount them in.
 */
export function resolveFstab(entries: readonly FstabEntry[], root: string, facts: DeviceFacts): Mountpoint[] {
  const out: Mountpoint[] = [];
  for (const { spec, mountpoint: rawMp, vfstype } of entries) {
    if (/^\/dev\/(fd|cd)\d/.test(spec) || spec === "/dev/floppy" || spec === "/dev/cdrom" || spec.startsWith("/dev/iso9660/")) continue;
    const mountpoint = canonicalPath(rawMp);
    if (IGNORED_MOUNTPOINT(mountpoint) || !mountpoint.startsWith("/")) continue;
    const device = resolveSpec(spec, facts);
    if (device === undefined) continue;
    if (vfstype === "btrfs") notQuick(`a btrfs entry in /etc/fstab (${spec})`);
    out.push({ mountpoint, device });
  }
  const roots = out.filter((m) => m.mountpoint === "/");
  if (out.length === 0) return [{ mountpoint: "/", device: root }];
  if (roots.length !== 1) notQuick(`${roots.length} root entries in /etc/fstab`);
  if (roots[0]?.device !== root) notQuick(`/etc/fstab mounts ${roots[0]?.device} on /, not the root found (${root})`);
  return out.sort((a, b) => a.mountpoint.length - b.mountpoint.length);
}

function resolveSpec(spec: string, facts: DeviceFacts): string | undefined {
  const tagged = /^(UUID|LABEL)=(.*)$/.exec(spec);
  if (tagged) {
    const value = unquoteSimple(tagged[2] as string) ?? notQuick(`/etc/fstab: ${spec}`);
    const device = (tagged[1] === "UUID" ? facts.byUuid : facts.byLabel).get(value);
    return device ?? notQuick(`no filesystem has ${spec}`);
  }
  if (/^PART(UUID|LABEL)=/.test(spec)) return notQuick(`/etc/fstab: ${spec}`);
  if (!spec.startsWith("/dev/")) return undefined; // tmpfs, proc, none, server:/export: not a device
  if (spec === "/dev/root") return notQuick("/etc/fstab: /dev/root");
  if (spec.startsWith("/dev/mapper")) {
    if (facts.crypttab) notQuick(`/etc/fstab: ${spec} with an /etc/crypttab`);
    const name = spec.slice("/dev/mapper/".length);
    return facts.lvs.find((lv) => mapperName(lv) === name) ?? notQuick(`/etc/fstab: ${spec} is no logical volume`);
  }
  const xdev = /^\/dev\/(h|s|v|xv)d([a-z]+)(\d*)$/.exec(spec);
  if (xdev) {
    const disk = facts.devices[driveIndex(xdev[2] as string)];
    const device = disk === undefined ? undefined : `${disk}${xdev[3]}`;
    return device !== undefined && facts.partitions.has(device) ? device : notQuick(`/etc/fstab: ${spec} is no partition here`);
  }
  return facts.lvs.includes(spec) ? spec : notQuick(`/etc/fstab: ${spec}`);
}

/** `rpm -qa --qf '%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\n'`, as inspect-list-applications2's fields. */
export function parseRpmList(text: string): InstalledPackage[] {
  const none = (v: string | undefined) => (v === undefined || v === "" || v === "(none)" ? null : v);
  const packages: InstalledPackage[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const f = line.split("\t");
    if (f.length !== 5 || !f[0] || !f[2]) return notQuick(`rpm printed: ${line.slice(0, 200)}`);
    const epoch = none(f[1]);
    packages.push({ name: f[0], epoch: epoch === "0" ? null : epoch, version: f[2], release: none(f[3]), arch: none(f[4]) });
  }
  if (packages.length === 0) notQuick("rpm listed no packages");
  return packages;
}

// ---- in the session ------------------------------------------------------------------------

const ARCH_BINARIES = ["/bin/bash", "/bin/ls", "/bin/echo", "/bin/rm", "/bin/sh"];
const RPM_QUERY = "rpm -qa --qf %{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\n";

/**
 * The root, its mountpoints and what inspection says of it. With `packages` (the inspect stage)
 * the root's filesystems are mounted read-only and rpm lists what is installed; without (a retry
 * that only needs the root, and mounts it itself) neither is done.
 */
export async function quickInspect(session: GuestSession, options: { packages: boolean } = { packages: true }): Promise<{ os: InspectorOs; mountpoints: Mountpoint[] }> {
  const call = (...args: string[]) => session.call(args);
  const lines = (...args: string[]) => session.lines(args);
  const yes = (...args: string[]) => session.yes(args);
  const devices = await lines("list-devices");
  const isoDevice = session.hasIso ? devices[devices.length - 1] : undefined;
  const partitions = await lines("list-partitions");
  if ((await lines("list-md-devices")).length > 0) notQuick("an md RAID device");
  // blkid's answer; `-`: a device it cannot read is no candidate (libguestfs's "unknown").
  const typed = async (list: readonly string[]) => {
    const out: Filesystem[] = [];
    for (const device of list) out.push({ device, type: (await call("-vfs-type", device)).trim() || "unknown" });
    return out;
  };
  const filesystems = await typed(filesystemDevices(devices, partitions, isoDevice));
  // Logical volumes only where there is a physical volume (lvs costs half a second here).
  const lvs = filesystems.some((f) => f.type === "LVM2_member") ? await lines("lvs") : [];
  filesystems.push(...(await typed(lvs)));
  const candidates = candidateFilesystems(filesystems);

  const probe = {
    isDir: (p: string) => yes("is-dir", p),
    isFile: (p: string) => yes("is-file", p),
    readlink: async (p: string) => (await call("-readlink", p)).trim() || undefined,
  };
  /** A guest file's text (the path resolved in the guest, as libguestfs's chroot does), or undefined. */
  const read = async (p: string): Promise<string | undefined> => {
    if (!(await yes("is-file-opts", p, "followsymlinks:true"))) return undefined;
    // A failing command would end the listening guestfish: `-` keeps it, and an empty answer is read as such.
    const real = (await call("-realpath", p)).trim();
    // head-n rather than cat: half the time here (cat asks the file's size first), whole for these small files.
    return real === "" ? "" : call("-head-n", "100000", real);
  };

  let mounted: string | undefined;
  let found: { root: string; release: Release; hostname: string | undefined; arch: string | undefined; fstab: FstabEntry[]; crypttab: boolean } | undefined;
  for (const { device, type } of candidates) {
    await call("umount-all");
    await call("-mount-ro", device, "/");
    // libguestfs skips what will not mount (`mounts` names an LV by its /dev/mapper path).
    mounted = undefined;
    if ((await lines("mounts")).length === 0) continue;
    mounted = device;
    const role = await classifyMounted(await lines("ls", "/"), probe);
    if (role !== "root") continue;
    if (type === "vfat") notQuick(`a Linux root on vfat (${device})`);
    if (found) notQuick(`more than one root (${found.root}, ${device})`);
    const etc = new Set(await lines("ls", "/etc"));
    const has = (name: string) => etc.has(name);
    const release = parseRelease(etc, {
      osRelease: has("os-release") ? await read("/etc/os-release") : undefined,
      lsbRelease: has("lsb-release") ? await read("/etc/lsb-release") : undefined,
      redhatRelease: has("redhat-release") ? await read("/etc/redhat-release") : undefined,
    });
    const hostname = parseHostname({
      HOSTNAME: has("HOSTNAME") ? await read("/etc/HOSTNAME") : undefined,
      hostname: has("hostname") ? await read("/etc/hostname") : undefined,
      network: has("sysconfig") ? await read("/etc/sysconfig/network") : undefined,
    });
    let arch: string | undefined;
    for (const bin of ARCH_BINARIES) {
      if (!(await yes("is-file-opts", bin, "followsymlinks:true"))) continue;
      arch = (await call("-file-architecture", bin)).trim() || undefined;
      if (arch) break;
    }
    const fstab = has("fstab") ? parseFstab((await read("/etc/fstab")) ?? "") : [];
    const crypttabText = has("crypttab") ? ((await read("/etc/crypttab")) ?? "") : "";
    const crypttab = crypttabText.split("\n").some((l) => l.trim() !== "" && !l.trim().startsWith("#"));
    found = { root: device, release, hostname, arch, fstab, crypttab };
  }
  if (!found) {
    await call("umount-all");
    return notQuick("no Linux root");
  }

  const byUuid = new Map<string, string>();
  const byLabel = new Map<string, string>();
  if (found.fstab.some((e) => /^(UUID|LABEL)=/.test(e.spec))) {
    for (const { device, type } of filesystems) {
      if (SKIPPED_TYPES.has(type)) continue;
      const id = parseBlkid(await call("-blkid", device));
      if (id.UUID) byUuid.set(id.UUID, device);
      if (id.LABEL) byLabel.set(id.LABEL, device);
    }
  }
  const mountpoints = resolveFstab(found.fstab, found.root, {
    devices,
    partitions: new Set(partitions),
    lvs,
    byUuid,
    byLabel,
    crypttab: found.crypttab,
  });
  let packages: InstalledPackage[] = [];
  if (options.packages) {
    // The root may still be mounted from its check: the rest go on top of it.
    const keepRoot = mounted === found.root;
    if (!keepRoot) await call("umount-all");
    for (const { mountpoint, device } of mountpoints) {
      if (keepRoot && mountpoint === "/") continue;
      await call("-mount-ro", device, mountpoint);
    }
    packages = parseRpmList(await call("-command", RPM_QUERY));
  }
  return {
    os: {
      root: found.root,
      os: "linux",
      distro: found.release.distro,
      major: found.release.major,
      minor: found.release.minor,
      arch: found.arch,
      productName: found.release.productName,
      hostname: found.hostname,
      packages,
    },
    mountpoints,
  };
}
