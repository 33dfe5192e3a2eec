// A small synthetic RHEL 5.4 Xen PV guest that virt-inspector and virt-v2v accept (see
// ../shared/docs/test-guests.md): its rpm database holds only the Xen kernel and a few tiny
// packages; the non-Xen kernel is a separate RPM, as a software repository would hold it.
// Installing that RPM is what gives the guest a virtio-capable kernel to convert to.
//
// Building the image takes a libguestfs launch (about 20-45 s under emulation), so it is made
// once per builder source and identity into a cache directory and copied for each caller.
import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { KERNEL_RELEASE, KERNEL_VERSION, KVER, XEN_KVER, type GuestIdentity } from "./rhel5-guest/files.ts";
import { buildRpm } from "./rhel5-guest/rpms.ts";
import { recordPackages, writeFile, writeGuestTree, writeKernel } from "./rhel5-guest/tree.ts";

const execFileAsync = promisify(execFile);
const LIBGUESTFS_ENV = { LIBGUESTFS_BACKEND: "direct", LIBGUESTFS_BACKEND_SETTINGS: "force_tcg" };

export type Rhel5GuestOptions = {
  /** Domain name (default rhel54); also names the disk and XML files. */
  name?: string;
  hostname?: string;
  mac?: string;
};

export type Rhel5Guest = {
  name: string;
  mac: string;
  /** Raw disk image (MBR, one ext4 partition: /dev/xvda1 in the guest), the caller's own copy. */
  disk: string;
  /** Xen PV domain XML naming `disk` (xvda, bridge xenbr0, `mac`). */
  xml: string;
  /** The non-Xen kernel-2.6.18-164.el5.x86_64.rpm, not in the guest's rpm database. */
  kernelRpm: string;
  /** Whether this call built the image (false: it came from the cache). */
  built: boolean;
  /** Wall time of the build, when this call built it. */
  buildMs: number | undefined;
};

export const RHEL5_KERNEL_RPM = `kernel-${KVER}.x86_64.rpm`;
export { KVER as RHEL5_KERNEL_VERSION, XEN_KVER as RHEL5_XEN_KERNEL_VERSION };
/** Where the Site layer's kernel app points, inside its software repository. */
export const RHEL5_KERNEL_PATH = `rhel/5/${RHEL5_KERNEL_RPM}`;

/**
 * The Site layer that gives this guest virtio: the virtio capability (kernel >= 2.6.18-128.el5,
 * which the guest lacks: only kernel-xen is installed) and the kernel app at RHEL5_KERNEL_PATH;
 * `extra` elements (a network mapping, say) and a `<path-root>` when given.
 */
export function rhel5SiteConf(opts: { pathRoot?: string; extra?: string } = {}): string {
  return [
    "<virt-v2v>",
    "  <capability os='linux' distro='rhel' major='5' name='virtio'>",
    "    <dep name='kernel' minversion='2.6.18-128.el5'/>",
    "  </capability>",
    "  <app os='linux' distro='rhel' major='5' arch='x86_64' name='kernel'>",
    `    <path>${RHEL5_KERNEL_PATH}</path>`,
    "  </app>",
    ...(opts.extra ? [`  ${opts.extra}`] : []),
    ...(opts.pathRoot ? [`  <path-root>${opts.pathRoot}</path-root>`] : []),
    "</virt-v2v>",
    "",
  ].join("\n");
}

const HERE = dirname(fileURLToPath(import.meta.url));

function cacheKey(id: GuestIdentity): string {
  const hash = createHash("sha256");
  const sources = [join(HERE, "rhel5-guest.ts"), ...readdirSync(join(HERE, "rhel5-guest")).map((f) => join(HERE, "rhel5-guest", f))];
  for (const file of sources.sort()) hash.update(readFileSync(file));
  hash.update(JSON.stringify(id));
  hash.update(execFileSync("rpm", ["--version"], { encoding: "utf8" }));
  return hash.digest("hex").slice(0, 16);
}

function buildPackages(work: string, out: string): { db: string[]; kernel: string } {
  const xen = join(work, "payload-kernel-xen");
  writeKernel(xen, { version: XEN_KVER, xen: true });
  const plain = join(work, "payload-kernel");
  writeKernel(plain, { version: KVER, xen: false });
  const kernelFiles = (v: string) => [`/boot/vmlinuz-${v}`, `/boot/System.map-${v}`, `/lib/modules/${v}`];
  const rpm = (spec: Parameters<typeof buildRpm>[0]) => buildRpm(spec, work, out);
  const db = [
    rpm({ name: "kernel-xen", version: KERNEL_VERSION, release: KERNEL_RELEASE, summary: "The Linux kernel compiled for Xen VM operations", payload: xen, files: kernelFiles(XEN_KVER) }),
    rpm({ name: "redhat-release", version: "5Server", release: "5.4.0.3", summary: "Red Hat Enterprise Linux release file" }),
    // Owns the shell that scriptlets (the kernel's %post) run with.
    rpm({ name: "bash", version: "3.2", release: "24.el5", summary: "The GNU Bourne Again shell (bash)", provides: ["/bin/sh", "/bin/bash"] }),
    rpm({ name: "lvm2", version: "2.02.46", release: "8.el5", summary: "Userland logical volume management tools" }),
    rpm({ name: "ecryptfs-utils", version: "75", release: "5.el5", summary: "The eCryptfs mount helper and support libraries" }),
  ];
  const kernel = rpm({
    name: "kernel",
    version: KERNEL_VERSION,
    release: KERNEL_RELEASE,
    summary: "The Linux kernel (the core of the Linux operating system)",
    payload: plain,
    files: kernelFiles(KVER),
    post: `/sbin/new-kernel-pkg --package kernel --mkinitrd --depmod --install ${KVER} || exit $?`,
  });
  return { db, kernel };
}

/** Host programs the build needs, with the Debian package that brings each. */
const BUILD_TOOLS: [string, string][] = [
  ["rpm", "rpm"],
  ["rpmbuild", "rpm"],
  ["virt-make-fs", "libguestfs-tools"],
  ["ldd", "libc-bin"],
  ["dash", "dash"],
  ["mount", "mount"],
];

function checkBuildTools(): void {
  const path = (process.env.PATH ?? "").split(":").concat(["/bin", "/usr/bin", "/sbin", "/usr/sbin"]);
  const missing = BUILD_TOOLS.filter(([tool]) => !path.some((dir) => dir !== "" && existsSync(join(dir, tool))));
  if (missing.length > 0) {
    throw new Error(`Building the RHEL 5.4 test guest needs ${missing.map(([t, p]) => `${t} (Debian package ${p})`).join(", ")}`);
  }
}

async function build(target: string, id: GuestIdentity): Promise<void> {
  checkBuildTools();
  const work = `${target}.building-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  const tree = join(work, "tree");
  mkdirSync(tree, { recursive: true });
  try {
    const { db } = buildPackages(work, join(work, "out"));
    writeGuestTree(tree, id);
    writeKernel(tree, { version: XEN_KVER, xen: true });
    writeFile(tree, `boot/initrd-${XEN_KVER}.img`, `mkinitrd -f /boot/initrd-${XEN_KVER}.img ${XEN_KVER}\n`);
    recordPackages(tree, db);
    await execFileAsync(
      "virt-make-fs",
      ["--format=raw", "--type=ext4", "--partition=mbr", "--size=+64M", tree, join(work, "out", "disk.img")],
      { env: { ...process.env, ...LIBGUESTFS_ENV }, maxBuffer: 16 * 1024 * 1024 },
    );
    rmSync(target, { recursive: true, force: true });
    renameSync(join(work, "out"), target);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The cached image for this identity, built under a lock so parallel workers build it once. */
async function cached(id: GuestIdentity): Promise<{ dir: string; built: boolean; buildMs: number | undefined }> {
  const root = process.env.FERRY_TEST_CACHE ?? join(tmpdir(), "ferry-test-cache");
  const dir = join(root, `rhel5-guest-${cacheKey(id)}`);
  const lock = `${dir}.lock`;
  mkdirSync(root, { recursive: true });
  for (;;) {
    if (existsSync(join(dir, "disk.img"))) return { dir, built: false, buildMs: undefined };
    try {
      mkdirSync(lock);
    } catch {
      const owner = Number(readFileSync(join(lock, "pid"), { encoding: "utf8", flag: "a+" }) || "0");
      if (owner > 0 && !alive(owner)) rmSync(lock, { recursive: true, force: true });
      await sleep(500);
      continue;
    }
    writeFileSync(join(lock, "pid"), String(process.pid));
    try {
      const started = Date.now();
      await build(dir, id);
      return { dir, built: true, buildMs: Date.now() - started };
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/** The guest's libvirt domain XML as `virsh dumpxml` gives it on a Xen host (paravirtualized, xvda, bridge xenbr0). */
export function xenGuestXml(name: string, disk: string, mac: string): string {
  const uuid = createHash("md5").update(name).digest("hex").replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");
  return `<domain type='xen'>
  <name>${name}</name>
  <uuid>${uuid}</uuid>
  <memory unit='KiB'>524288</memory>
  <currentMemory unit='KiB'>524288</currentMemory>
  <vcpu>1</vcpu>
  <bootloader>/usr/bin/pygrub</bootloader>
  <os>
    <type arch='x86_64' machine='xenpv'>linux</type>
  </os>
  <clock offset='utc' adjustment='reset'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>restart</on_crash>
  <devices>
    <disk type='file' device='disk'>
      <driver name='file'/>
      <source file='${disk}'/>
      <target dev='xvda' bus='xen'/>
    </disk>
    <interface type='bridge'>
      <mac address='${mac}'/>
      <source bridge='xenbr0'/>
      <script path='vif-bridge'/>
    </interface>
    <console type='pty'>
      <target type='xen' port='0'/>
    </console>
    <input type='mouse' bus='xen'/>
    <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'/>
  </devices>
</domain>
`;
}

/**
 * Puts a RHEL 5.4 Xen guest in `dir`: NAME.img (a sparse copy of the cached image, the
 * caller's to change), NAME.xml, and the non-Xen kernel RPM.
 */
export async function buildRhel5Guest(dir: string, options: Rhel5GuestOptions = {}): Promise<Rhel5Guest> {
  const name = options.name ?? "rhel54";
  const mac = options.mac ?? "00:16:3e:5a:04:01";
  const id: GuestIdentity = { hostname: options.hostname ?? "rhel54.example.com", mac };
  const cache = await cached(id);
  mkdirSync(dir, { recursive: true });
  const disk = join(dir, `${name}.img`);
  execFileSync("cp", ["--sparse=always", join(cache.dir, "disk.img"), disk]);
  const kernelRpm = join(dir, RHEL5_KERNEL_RPM);
  copyFileSync(join(cache.dir, RHEL5_KERNEL_RPM), kernelRpm);
  const xml = join(dir, `${name}.xml`);
  writeFileSync(xml, xenGuestXml(name, disk, mac));
  return { name, mac, disk, xml, kernelRpm, built: cache.built, buildMs: cache.buildMs };
}

export { readGuestFiles } from "./rhel5-guest/read-files.ts";
