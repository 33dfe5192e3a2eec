// Lays out the root tree of the synthetic RHEL 5.4 Xen guest: its files, the host's sh, bash,
// rpm and mount with the libraries they load (inspection and conversion run rpm chrooted in
// the guest; installing software mounts the transfer ISO there), and its rpm database.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { kernelModuleElf } from "./elf.ts";
import { MKINITRD, NEW_KERNEL_PKG, guestTextFiles, type GuestIdentity } from "./files.ts";

/** Host programs copied in, as RHEL 5 placed them. */
const PROGRAMS: [host: string, guest: string][] = [
  ["/bin/dash", "bin/sh"],
  ["/bin/bash", "bin/bash"],
  ["/usr/bin/rpm", "bin/rpm"],
  ["/bin/mount", "bin/mount"],
  ["/bin/umount", "bin/umount"],
];

export function writeFile(root: string, path: string, content: string | Buffer, mode = 0o644): void {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
  chmodSync(full, mode);
}

/** The shared libraries `ldd` lists for a program (the loader included). */
function libraries(program: string): string[] {
  const out = execFileSync("ldd", [program], { encoding: "utf8" });
  const libs: string[] = [];
  for (const line of out.split("\n")) {
    const m = /=>\s+(\/\S+)/.exec(line) ?? /^\s+(\/\S+)\s+\(/.exec(line);
    if (m?.[1]) libs.push(m[1]);
  }
  return libs;
}

function copyPrograms(root: string): void {
  const libs = new Set<string>();
  for (const [host, guest] of PROGRAMS) {
    writeFile(root, guest, readFileSync(host), 0o755);
    for (const lib of libraries(host)) libs.add(lib);
  }
  // The guest's paths are the ones ldd printed, so the copied loader finds them unchanged.
  for (const lib of libs) writeFile(root, lib.slice(1), readFileSync(lib), 0o755);
  symlinkSync("../../bin/rpm", join(root, "usr/bin/rpm"));
}

/** rpm's configuration: the host's, with the database where RHEL keeps it and no plugins. */
function rpmConfig(root: string): void {
  const hostMacros = readFileSync("/usr/lib/rpm/macros", "utf8");
  const macros = hostMacros
    .split("\n")
    .filter((line) => !/^%__transaction_/.test(line))
    .map((line) => (/^%_dbpath\s/.test(line) ? "%_dbpath\t\t/var/lib/rpm" : line))
    .join("\n");
  writeFile(root, "usr/lib/rpm/macros", macros);
  writeFile(root, "usr/lib/rpm/rpmrc", readFileSync("/usr/lib/rpm/rpmrc"));
  for (const f of readdirSync("/usr/lib/rpm").filter((n) => n.startsWith("rpmpopt"))) {
    writeFile(root, `usr/lib/rpm/${f}`, readFileSync(join("/usr/lib/rpm", f)));
  }
  writeFile(root, "usr/lib/rpm/platform/x86_64-linux/macros", readFileSync("/usr/lib/rpm/platform/x86_64-linux/macros"));
}

export type KernelFiles = { version: string; xen: boolean };

/** A kernel's payload: vmlinuz, System.map and its modules (real ELF objects). */
export function writeKernel(root: string, k: KernelFiles): void {
  writeFile(root, `boot/vmlinuz-${k.version}`, `Linux kernel ${k.version} (stand-in)\n`);
  writeFile(root, `boot/System.map-${k.version}`, `ffffffff80200000 T _text\n`);
  const modules: [string, string][] = k.xen
    ? [
        ["xen/blkfront", "xenblk"],
        ["xen/netfront", "xennet"],
      ]
    : [
        ["virtio", "virtio"],
        ["virtio", "virtio_pci"],
        ["virtio", "virtio_ring"],
        ["block", "virtio_blk"],
        ["net", "virtio_net"],
      ];
  for (const [dir, name] of modules) {
    writeFile(root, `lib/modules/${k.version}/kernel/drivers/${dir}/${name}.ko`, kernelModuleElf(name, k.version));
  }
}

export function writeGuestTree(root: string, id: GuestIdentity): void {
  for (const d of ["dev", "proc", "sys", "tmp", "var/tmp", "var/log", "var/lib/rpm", "root", "mnt", "home", "usr/bin", "usr/sbin", "sbin"]) {
    mkdirSync(join(root, d), { recursive: true });
  }
  chmodSync(join(root, "tmp"), 0o1777);
  chmodSync(join(root, "var/tmp"), 0o1777);
  for (const [path, content] of Object.entries(guestTextFiles(id))) writeFile(root, path, content);
  symlinkSync("./grub.conf", join(root, "boot/grub/menu.lst"));
  symlinkSync("../boot/grub/grub.conf", join(root, "etc/grub.conf"));
  writeFile(root, "sbin/mkinitrd", MKINITRD, 0o755);
  writeFile(root, "sbin/new-kernel-pkg", NEW_KERNEL_PKG, 0o755);
  copyPrograms(root);
  rpmConfig(root);
}

/**
 * Records packages in the guest's rpm database without their payloads (the tree already holds
 * what matters), then leaves the SQLite database in rollback-journal mode with no side files:
 * inspection mounts the guest read-only, where a WAL database cannot be opened.
 */
export function recordPackages(root: string, rpms: string[]): void {
  const rpmArgs = ["--root", root, "--dbpath", "/var/lib/rpm"];
  execFileSync("rpm", [...rpmArgs, "--initdb"], { stdio: ["ignore", "ignore", "pipe"] });
  execFileSync("rpm", [...rpmArgs, "-i", "--nodeps", "--justdb", "--noscripts", "--force-debian", ...rpms], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const db = join(root, "var/lib/rpm/rpmdb.sqlite");
  const wal = `${db}-wal`;
  if (existsSync(wal) && readFileSync(wal).length > 0) throw new Error(`rpm left an unmerged ${wal}`);
  // SQLite's header bytes 18-19 (file format write/read version) are 2 in WAL mode and 1 in
  // rollback-journal mode: setting them is what PRAGMA journal_mode=DELETE does once the WAL
  // is checkpointed, without needing the sqlite3 program.
  const header = readFileSync(db);
  if (header.toString("latin1", 0, 15) !== "SQLite format 3") throw new Error(`${db} is not an SQLite database`);
  header[18] = 1;
  header[19] = 1;
  writeFileSync(db, header);
  for (const side of [wal, `${db}-shm`, join(root, "var/lib/rpm/.rpm.lock")]) rmSync(side, { force: true });
}
