// The inspect stage: virt-inspector on the source disks (read-only) -> the guest facts the core
// plans with (os, distro, versions, arch, packages with EVR, the boot kernel). virt-inspector
// does not say which kernel boots; with one kernel package installed it is that one, with
// several the boot loader's default entry decides (one more read-only look, with guestfish).
import { rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import type { BootKernel, GuestFacts, InstalledPackage } from "../v2v/guest-facts.ts";
import { compareEvr } from "../v2v/rpm-version.ts";
import { LineIndex, decodeXmlText } from "../v2v/xml-options.ts";
import { TOOL_XML_LIMITS, guardXml } from "../v2v/xml-guard.ts";
import type { StageContext } from "./context.ts";
import { MissingToolsError } from "./errors.ts";
import type { GuestSession } from "./guest-session.ts";
import { NotQuick, quickInspect } from "./quick-inspect.ts";
import { preflight, run, which, type Env } from "./tools.ts";

export const INSPECT_STAGE = "inspect";

export type InspectDisk = { path: string; format: string };
export type InspectOptions = { env?: Env | undefined };

/** GuestFacts plus what the log and the plan page show about the guest. */
export type InspectedGuest = GuestFacts & {
  /** The root filesystem's device as the appliance saw it (/dev/sda1). */
  root: string;
  productName: string | undefined;
  hostname: string | undefined;
};

/** The disks hold no operating system virt-v2v can convert. */
export class NoOperatingSystemError extends Error {
  readonly code = "NO_OPERATING_SYSTEM";
  constructor() {
    super("No root device found in this operating system image.");
    this.name = "NoOperatingSystemError";
  }
}

/** More than one operating system: virt-v2v 2.x refuses unless told which root to convert. */
export class MultiBootError extends Error {
  readonly code = "MULTI_BOOT";
  readonly roots: string[];
  constructor(roots: string[]) {
    super(
      `multi-boot operating systems are not supported by virt-v2v. Use the --root option to change how virt-v2v handles this. (roots: ${roots.join(", ")})`,
    );
    this.name = "MultiBootError";
    this.roots = roots;
  }
}

/** virt-inspector printed something that is not its XML. */
export class InspectionOutputError extends Error {
  readonly code = "INSPECTION_OUTPUT";
  constructor(detail: string) {
    super(`virt-inspector's output could not be read: ${detail}`);
    this.name = "InspectionOutputError";
  }
}

// ---- virt-inspector's XML ------------------------------------------------------------------

export type InspectorOs = {
  root: string;
  os: string;
  distro: string | undefined;
  major: string | undefined;
  minor: string | undefined;
  arch: string | undefined;
  productName: string | undefined;
  hostname: string | undefined;
  packages: InstalledPackage[];
};

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  isArray: (name) => ["operatingsystem", "application", "mountpoint", "filesystem"].includes(name),
});

function text(node: unknown): string | undefined {
  if (node === undefined || node === null) return undefined;
  const raw = typeof node === "object" ? (node as Record<string, unknown>)["#text"] : node;
  if (raw === undefined || raw === null) return undefined;
  const value = decodeXmlText(String(raw)).trim();
  return value === "" ? undefined : value;
}

/** Every operating system in virt-inspector's XML (none for a blank disk). */
export function parseInspectorXml(xml: string): InspectorOs[] {
  const lines = new LineIndex(xml);
  const problem = guardXml(xml, TOOL_XML_LIMITS, (offset) => lines.at(offset));
  if (problem) {
    const at = lines.at(problem.offset);
    throw new InspectionOutputError(`line ${at.line}, column ${at.column}: ${problem.message}`);
  }
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml, true) as Record<string, unknown>;
  } catch (error) {
    throw new InspectionOutputError(error instanceof Error ? error.message : String(error));
  }
  if (!("operatingsystems" in doc)) throw new InspectionOutputError("no <operatingsystems> element");
  const root = doc.operatingsystems as Record<string, unknown> | string;
  const list = typeof root === "object" && root !== null ? ((root.operatingsystem as Record<string, unknown>[] | undefined) ?? []) : [];
  return list.map((os) => {
    const apps = (os.applications as Record<string, unknown> | undefined)?.application as Record<string, unknown>[] | undefined;
    return {
      root: text(os.root) ?? "",
      os: text(os.name) ?? "unknown",
      distro: text(os.distro),
      major: text(os.major_version),
      minor: text(os.minor_version),
      arch: text(os.arch),
      productName: text(os.product_name),
      hostname: text(os.hostname),
      packages: (apps ?? []).flatMap((a): InstalledPackage[] => {
        const name = text(a.name);
        const version = text(a.version);
        if (name === undefined || version === undefined) return [];
        const epoch = text(a.epoch);
        return [{ name, epoch: epoch === undefined || epoch === "0" ? null : epoch, version, release: text(a.release) ?? null, arch: text(a.arch) ?? null }];
      }),
    };
  });
}

// ---- which kernel boots --------------------------------------------------------------------

/** Installed kernels that boot (not -devel, -headers, -doc, -firmware, ...). */
const KERNEL_PACKAGE = /^kernel(-(xen|xenU|PAE|PAE-xen|pae|smp|hugemem|largesmp|bigsmp|default|core|uek|rt|debug|ppc64|lpae))?$/;

export function isKernelPackage(name: string): boolean {
  return KERNEL_PACKAGE.test(name);
}

/** The Xen kernels virt-v2v replaces (kernel-xen, kernel-xenU, kernel-PAE-xen). */
export function isXenKernel(name: string): boolean {
  return /^kernel(-PAE)?-xen/.test(name);
}

/**
 * The kernel version of the boot loader's default entry (`2.6.18-164.el5xen`), from grub
 * legacy's grub.conf/menu.lst (`default=N`, `title` entries, `kernel /vmlinuz-VERSION`) or
 * grub2's grub.cfg (`set default=N`, `menuentry` blocks, `linux /vmlinuz-VERSION`).
 */
export function defaultKernelVersion(config: string): string | undefined {
  const lines = config.split(/\r?\n/).map((l) => l.trim());
  const kernels: string[] = [];
  let defaultIndex = 0;
  for (const line of lines) {
    if (line.startsWith("#")) continue;
    const legacyDefault = /^default\s*[=\s]\s*(\d+)$/.exec(line);
    if (legacyDefault) defaultIndex = Number(legacyDefault[1]);
    const grub2Default = /^set\s+default="?(\d+)"?$/.exec(line);
    if (grub2Default) defaultIndex = Number(grub2Default[1]);
    if (/^title\s/.test(line) || /^menuentry\s/.test(line)) kernels.push("");
    const image = /^(?:kernel|linux|linux16|linuxefi)\s+(\S+)/.exec(line);
    if (image?.[1] && kernels.length > 0 && kernels[kernels.length - 1] === "") {
      kernels[kernels.length - 1] = basename(image[1]).replace(/^vmlinuz-?/, "");
    }
  }
  const version = kernels[defaultIndex] ?? kernels[0];
  return version === undefined || version === "" ? undefined : version;
}

/** The flavour a vmlinuz version carries after `VERSION-RELEASE`: `xen`, `PAE`, or none. */
function flavourOf(suffix: string): string {
  return suffix
    .split(".")
    .filter((t) => t !== "" && !/^(x86_64|i[3-6]86|ppc64|ppc64le|aarch64|s390x|noarch)$/.test(t))
    .join("")
    .toLowerCase();
}

/** The installed kernel package a vmlinuz version belongs to. */
export function kernelForVersion(kernels: readonly InstalledPackage[], vmlinuzVersion: string): InstalledPackage | undefined {
  const candidates = kernels.filter((k) => vmlinuzVersion.startsWith(`${k.version}-${k.release ?? ""}`));
  return (
    candidates.find((k) => {
      const suffix = vmlinuzVersion.slice(`${k.version}-${k.release ?? ""}`.length);
      return flavourOf(suffix) === k.name.replace(/^kernel-?/, "").replace(/^core$/, "").toLowerCase();
    }) ?? candidates[0]
  );
}

function newest(kernels: readonly InstalledPackage[]): InstalledPackage | undefined {
  return [...kernels].sort((a, b) => compareEvr(b, a))[0];
}

function asBoot(p: InstalledPackage): BootKernel {
  return { ...p, xen: isXenKernel(p.name) };
}

const GRUB_FILES = ["/boot/grub/grub.conf", "/boot/grub/menu.lst", "/boot/grub2/grub.cfg", "/boot/grub/grub.cfg"];
const MARK = "@@ferry-file ";

/** Reads the first boot loader configuration file that exists (one read-only guestfish launch). */
async function readGrubConfig(ctx: StageContext, disks: readonly InspectDisk[], env: Env | undefined): Promise<string | undefined> {
  const guestfish = which("guestfish", env);
  if (!guestfish) throw new MissingToolsError([{ tool: "guestfish", package: "libguestfs-tools" }]);
  // In a guestfish script `-cmd` ignores a failing command (a missing file); echo marks where
  // each file's text starts.
  const script = join(ctx.scratchDir, `read-grub-${process.pid}-${Date.now()}.guestfish`);
  await writeFile(script, GRUB_FILES.flatMap((f) => [`echo "${MARK}${f}"`, `-cat ${f}`]).join("\n") + "\n");
  try {
    const args = ["--ro", ...disks.flatMap((d) => [`--format=${d.format}`, "-a", d.path]), "-i", "-f", script];
    const { stdout } = await run(ctx, guestfish, args, { env });
    for (const part of stdout.split(MARK).slice(1)) {
      const body = part.slice(part.indexOf("\n") + 1);
      if (body.trim() !== "") return body;
    }
    return undefined;
  } finally {
    await rm(script, { force: true });
  }
}

async function bootKernel(
  ctx: StageContext,
  packages: readonly InstalledPackage[],
  readConfig: () => Promise<string | undefined>,
): Promise<BootKernel | undefined> {
  const kernels = packages.filter((p) => isKernelPackage(p.name));
  if (kernels.length === 0) return undefined;
  if (kernels.length === 1) return asBoot(kernels[0] as InstalledPackage);
  ctx.log("info", `Reading the boot loader configuration to find which of ${kernels.length} kernels boots`, INSPECT_STAGE);
  const config = await readConfig();
  const version = config === undefined ? undefined : defaultKernelVersion(config);
  const chosen = version === undefined ? undefined : kernelForVersion(kernels, version);
  if (chosen) return asBoot(chosen);
  const fallback = newest(kernels) as InstalledPackage;
  ctx.log(
    "warn",
    `Could not tell the boot kernel from the boot loader configuration${version ? ` (default entry ${version})` : ""}; assuming the newest installed, ${fallback.name}-${fallback.version}-${fallback.release ?? ""}`,
    INSPECT_STAGE,
  );
  return asBoot(fallback);
}

// ---- the stage -----------------------------------------------------------------------------

function logFound(ctx: StageContext, os: InspectorOs): void {
  ctx.log("info", `Found ${os.productName ?? os.os} (${[os.os, os.distro, os.major && `${os.major}.${os.minor ?? "0"}`, os.arch].filter(Boolean).join(" ")}) on ${os.root}, ${os.packages.length} packages`, INSPECT_STAGE);
}

export async function inspectGuest(ctx: StageContext, disks: readonly InspectDisk[], options: InspectOptions = {}): Promise<InspectedGuest> {
  const env = options.env;
  const tool = preflight(["virt-inspector"], { env })["virt-inspector"];
  const total = 3;
  ctx.log("info", "Inspecting the source", INSPECT_STAGE);
  ctx.progress({ stage: INSPECT_STAGE, done: 0, total, unit: "steps", item: "virt-inspector" });
  // --format applies to the -a options after it: each disk gets its own.
  const args = disks.flatMap((d) => [`--format=${d.format}`, "-a", d.path]);
  const { stdout } = await run(ctx, tool, args, { env });
  ctx.progress({ stage: INSPECT_STAGE, done: 1, total, unit: "steps", item: "virt-inspector" });

  const found = parseInspectorXml(stdout);
  if (found.length === 0) throw new NoOperatingSystemError();
  if (found.length > 1) throw new MultiBootError(found.map((o) => o.root));
  const os = found[0] as InspectorOs;
  logFound(ctx, os);

  const kernel = await bootKernel(ctx, os.packages, () => readGrubConfig(ctx, disks, env));
  ctx.progress({ stage: INSPECT_STAGE, done: 2, total, unit: "steps", item: "boot kernel" });
  return inspected(ctx, os, kernel, total);
}

/** Logs what was found and gives the stage's result. */
function inspected(ctx: StageContext, os: InspectorOs, kernel: BootKernel | undefined, total: number): InspectedGuest {
  if (kernel) {
    ctx.log("info", `Boot kernel: ${kernel.name}-${kernel.version}-${kernel.release ?? ""}.${kernel.arch ?? ""}${kernel.xen ? " (Xen)" : ""}`, INSPECT_STAGE);
  } else if (os.os === "linux") {
    ctx.log("warn", "No installed kernel package was found", INSPECT_STAGE);
  }
  ctx.progress({ stage: INSPECT_STAGE, done: total, total, unit: "steps" });
  return {
    os: os.os,
    distro: os.distro,
    major: os.major,
    minor: os.minor,
    arch: os.arch,
    kernel,
    packages: os.packages,
    memoryKiB: undefined,
    vcpus: undefined,
    root: os.root,
    productName: os.productName,
    hostname: os.hostname,
  };
}

// ---- in a guestfish session (the pipeline: one appliance for inspection and installing) ------

/** `inspect-list-applications2`'s structs as guestfish prints them (`[0] = {`, `  app2_name: bash`, ...). */
export function parseApplications(text: string): InstalledPackage[] {
  const apps: InstalledPackage[] = [];
  for (const block of text.split(/^\[\d+\] = \{$/m).slice(1)) {
    const field = (name: string): string | undefined => {
      const value = new RegExp(`^  app2_${name}: (.*)$`, "m").exec(block)?.[1]?.trim();
      return value === undefined || value === "" ? undefined : value;
    };
    const name = field("name");
    const version = field("version");
    if (name === undefined || version === undefined) continue;
    const epoch = field("epoch");
    apps.push({ name, epoch: epoch === undefined || epoch === "0" ? null : epoch, version, release: field("release") ?? null, arch: field("arch") ?? null });
  }
  return apps;
}

/** `inspect-get-mountpoints`' `MOUNTPOINT: DEVICE` lines, shortest mountpoint first (the order to mount them in). */
export function parseMountpoints(text: string): { mountpoint: string; device: string }[] {
  return text
    .split("\n")
    .map((line) => /^(\/\S*): (\S+)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ mountpoint: m[1] as string, device: m[2] as string }))
    .sort((a, b) => a.mountpoint.length - b.mountpoint.length);
}

/** What libguestfs says when it cannot tell; virt-inspector leaves such fields out. */
const known = (value: string): string | undefined => {
  const v = value.trim();
  return v === "" || v === "unknown" ? undefined : v;
};

/**
 * Ferry's own reading of the guest (quick-inspect.ts), its root and mountpoints kept in the
 * session; or undefined when it hands the guest to libguestfs's inspection (the reason is
 * logged), the appliance left unmounted.
 */
async function tryQuick(ctx: StageContext | undefined, session: GuestSession, packages: boolean): Promise<InspectorOs | undefined> {
  try {
    const { os, mountpoints } = await quickInspect(session, { packages });
    session.root = os.root;
    session.mountpoints = mountpoints;
    return os;
  } catch (error) {
    if (!(error instanceof NotQuick)) throw error;
    ctx?.log("info", `Inspecting with libguestfs (${error.message})`, INSPECT_STAGE);
    await session.call(["umount-all"]);
    return undefined;
  }
}

/** libguestfs's inspection in the session: inspect-os and virt-v2v's refusals for no root and several; libguestfs then holds the mountpoints. */
async function inspectOsRoot(session: GuestSession): Promise<string> {
  const roots = await session.lines(["inspect-os"]);
  if (roots.length === 0) throw new NoOperatingSystemError();
  if (roots.length > 1) throw new MultiBootError(roots);
  session.root = roots[0] as string;
  session.mountpoints = undefined;
  return session.root;
}

/**
 * The guest's single root (virt-v2v's refusals for none and several), found by inspection in the
 * session's appliance (launched here if it is not yet). Its filesystems are then mounted, read-only
 * unless `writable`.
 */
export async function findRoot(session: GuestSession, options: { writable: boolean }, ctx?: StageContext): Promise<string> {
  const root = (await tryQuick(ctx, session, false))?.root ?? (await inspectOsRoot(session));
  await mountGuest(session, root, options);
  return root;
}

/** Mounts the root's filesystems (after unmounting any). A filesystem that will not mount is left out, as virt-inspector does. */
export async function mountGuest(session: GuestSession, root: string, options: { writable: boolean }): Promise<void> {
  await session.call(["umount-all"]);
  if (options.writable) session.changed = true;
  // Both sources give them shortest first, the order to mount them in.
  const mountpoints = session.mountpoints ?? parseMountpoints(await session.call(["inspect-get-mountpoints", root]));
  for (const { mountpoint, device } of mountpoints) {
    await session.call(["-" + (options.writable ? "mount" : "mount-ro"), device, mountpoint]);
  }
}

async function readGrubInSession(session: GuestSession): Promise<string | undefined> {
  for (const file of GRUB_FILES) {
    if (!(await session.yes(["is-file", file]))) continue;
    const body = await session.call(["cat", file]);
    if (body.trim() !== "") return body;
  }
  return undefined;
}

/**
 * libguestfs's inspection in the session (inspect-os, inspect-get-*,
 * inspect-list-applications2): the root's filesystems are left mounted read-only.
 */
export async function libguestfsInspection(session: GuestSession): Promise<InspectorOs> {
  const root = await inspectOsRoot(session);
  await mountGuest(session, root, { writable: false });
  const get = async (what: string) => known(await session.call([`inspect-get-${what}`, root]));
  return {
    root,
    os: (await get("type")) ?? "unknown",
    distro: await get("distro"),
    major: await get("major-version"),
    minor: await get("minor-version"),
    arch: await get("arch"),
    productName: await get("product-name"),
    hostname: await get("hostname"),
    packages: parseApplications(await session.call(["inspect-list-applications2", root])),
  };
}

/** The inspect stage in a session: the same facts virt-inspector gives, from one appliance the install then reuses. */
export async function inspectInSession(ctx: StageContext, session: GuestSession): Promise<InspectedGuest> {
  const total = 3;
  ctx.log("info", "Inspecting the source", INSPECT_STAGE);
  ctx.progress({ stage: INSPECT_STAGE, done: 0, total, unit: "steps", item: "starting the appliance" });
  await session.launch();
  ctx.progress({ stage: INSPECT_STAGE, done: 1, total, unit: "steps", item: "inspecting" });
  const quick = await tryQuick(ctx, session, true);
  if (quick) ctx.log("debug", "Read the guest's release, fstab, hostname and rpm database directly (libguestfs's inspect-os not needed)", INSPECT_STAGE);
  const os = quick ?? (await libguestfsInspection(session));
  logFound(ctx, os);
  const kernel = await bootKernel(ctx, os.packages, () => readGrubInSession(session));
  ctx.progress({ stage: INSPECT_STAGE, done: 2, total, unit: "steps", item: "boot kernel" });
  return inspected(ctx, os, kernel, total);
}
