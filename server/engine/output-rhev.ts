// -o rhev -os PATH (an export domain already mounted at PATH): the layout Perl virt-v2v's
// RHEVTarget wrote. Each disk is SD/images/IMAGE/VOLUME (the copy stage writes it, this stage
// creates IMAGE/ first) with VOLUME.meta beside it; the VM is SD/master/vms/VM/VM.ovf, written
// last so RHEV's import tab never lists a VM whose disks are incomplete. As root, everything
// created is given to vdsm:kvm (36:36) as virt-v2v did by working as that user; as another
// user the files keep that user's ownership (logged), which suits tests and staging copies.
import { chown, mkdir, rename, rm, stat, truncate, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { TOOL_XML_LIMITS, guardXml } from "../v2v/xml-guard.ts";
import type { ConversionPlan, PlannedDisk } from "../v2v/index.ts";
import type { StageContext } from "./context.ts";
import { imageInfo } from "./copy.ts";
import {
  checkCancelled,
  pathExists,
  prepareVolumes,
  removeCreatedFiles,
  result,
  type OutputOptions,
  type OutputResult,
  type PreparedOutput,
} from "./output-common.ts";
import { OUTPUT_STAGE, OutputError, readOutputTarget } from "./target.ts";

/** vdsm:kvm on RHEV hosts. */
export const RHEV_UID = 36;
export const RHEV_GID = 36;
const NO_UUID = "00000000-0000-0000-0000-000000000000";

const ovfParser = new XMLParser({ removeNSPrefix: true, processEntities: false, parseTagValue: false, ignoreAttributes: true });

function ovfName(xml: string): string | undefined {
  // The plan's own OVF; still guarded like every XML text (a plan row could be edited).
  if (guardXml(xml, TOOL_XML_LIMITS, () => ({ line: 0, column: 0 }))) return undefined;
  try {
    const doc = ovfParser.parse(xml) as { Envelope?: { Content?: { Name?: unknown } } };
    const name = doc.Envelope?.Content?.Name;
    return typeof name === "string" && name.trim() !== "" ? name.trim() : undefined;
  } catch {
    return undefined;
  }
}

/** The .meta text (reference §3.7), unless the planner already wrote it into the plan. */
export function metaText(disk: PlannedDisk, domain: string, virtualSize: number, now: Date): string {
  // A newer plan may carry the .meta text; written as is when present.
  const planned = (disk.rhev as { meta?: unknown } | undefined)?.meta;
  if (typeof planned === "string" && planned !== "") return planned;
  const seconds = Math.floor(now.getTime() / 1000);
  return [
    `DOMAIN=${domain}`,
    "VOLTYPE=LEAF",
    `CTIME=${seconds}`,
    `FORMAT=${disk.format === "qcow2" ? "COW" : "RAW"}`,
    `IMAGE=${disk.rhev?.imageId ?? ""}`,
    "DISKTYPE=1",
    `PUUID=${NO_UUID}`,
    "LEGALITY=LEGAL",
    `MTIME=${seconds}`,
    `POOL_UUID=${NO_UUID}`,
    `SIZE=${Math.ceil(virtualSize / 512)}`,
    `TYPE=${disk.allocation === "preallocated" ? "PREALLOCATED" : "SPARSE"}`,
    "DESCRIPTION=Exported by virt-v2v",
    "EOF",
    "",
  ].join("\n");
}

async function giveToVdsm(path: string, enabled: boolean): Promise<void> {
  if (enabled) await chown(path, RHEV_UID, RHEV_GID);
}

export async function prepareRhev(ctx: StageContext, plan: ConversionPlan): Promise<PreparedOutput> {
  const storage = plan.output.storage;
  ctx.log("info", `Setting up the destination: -o rhev -os ${storage}`, OUTPUT_STAGE);
  const target = await readOutputTarget(ctx, { method: "rhev", storage });
  const sd = target.rhevDomain as string;
  const domainDir = join(storage, sd);
  if (!plan.ovf) throw new OutputError("BAD_PLAN", "The plan has no OVF for -o rhev.");
  if (plan.disks.length === 0) throw new OutputError("BAD_PLAN", "The plan has no disks to write.");
  for (const disk of plan.disks) {
    if (!disk.rhev) throw new OutputError("BAD_PLAN", `Disk ${disk.name} has no RHEV image and volume UUIDs in the plan.`);
    const expected = join(domainDir, "images", disk.rhev.imageId, disk.rhev.volumeId);
    if (resolve(disk.targetPath) !== resolve(expected)) {
      throw new OutputError("BAD_PLAN", `Disk ${disk.name}: the plan writes ${disk.targetPath}, but storage domain ${sd} needs ${expected}.`);
    }
  }
  const ovfDir = join(domainDir, "master", "vms", plan.ovf.vmId);
  if (await pathExists(ovfDir)) throw new OutputError("OVF_EXISTS", `Failed to create directory ${ovfDir}: File exists`);

  const chownFiles = process.getuid?.() === 0;
  ctx.log(
    chownFiles ? "debug" : "info",
    chownFiles
      ? `Files are given to vdsm:kvm (${RHEV_UID}:${RHEV_GID})`
      : `Not running as root: the export's files keep this user's ownership; RHEV needs them readable by vdsm:kvm (${RHEV_UID}:${RHEV_GID})`,
    OUTPUT_STAGE,
  );

  const createdDirs: string[] = [];
  try {
    for (const disk of plan.disks) {
      checkCancelled(ctx, "Setting up the export domain");
      const imageDir = dirname(disk.targetPath);
      // mkdir -p returns the first directory it made (images/ itself in an empty domain).
      const first = await mkdir(imageDir, { recursive: true });
      if (first === undefined) continue;
      createdDirs.push(first);
      for (let dir = imageDir; ; dir = dirname(dir)) {
        await giveToVdsm(dir, chownFiles);
        if (dir === first) break;
      }
    }
  } catch (error) {
    for (const dir of createdDirs.reverse()) await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    method: "rhev",
    name: ovfName(plan.ovf.xml) ?? plan.guest.name,
    volumes: await prepareVolumes(plan.disks),
    createdDirs,
    rhev: { domainDir, ovfDir, ovfPath: join(ovfDir, `${plan.ovf.vmId}.ovf`), chown: chownFiles },
  };
}

export async function finishRhev(ctx: StageContext, plan: ConversionPlan, prepared: PreparedOutput, options: OutputOptions = {}): Promise<OutputResult> {
  const rhev = prepared.rhev;
  if (!rhev || !plan.ovf) throw new OutputError("BAD_PLAN", "finishOutput -o rhev needs the plan's OVF and what prepareOutput -o rhev returned.");
  const sd = basename(rhev.domainDir);
  const now = new Date();
  const metaPaths: string[] = [];
  ctx.log("info", "Creating output metadata", OUTPUT_STAGE);
  for (const disk of plan.disks) {
    checkCancelled(ctx, "Writing the export domain metadata");
    const path = disk.targetPath;
    if (!(await pathExists(path))) throw new OutputError("BAD_PLAN", `Disk ${disk.name} was never written: ${path} does not exist.`);
    const info = await imageInfo(ctx, path, disk.format, options.env);
    // RHEV wants raw volumes in whole 512-byte sectors (virt-v2v padded its stream).
    if (disk.format === "raw" && (await stat(path)).size % 512 !== 0) await truncate(path, Math.ceil(info.virtualSize / 512) * 512);
    const metaPath = `${path}.meta`;
    await writeFile(metaPath, metaText(disk, sd, info.virtualSize, now));
    await giveToVdsm(path, rhev.chown);
    await giveToVdsm(metaPath, rhev.chown);
    metaPaths.push(metaPath);
  }
  checkCancelled(ctx, "Writing the OVF");
  await mkdir(rhev.ovfDir);
  await giveToVdsm(rhev.ovfDir, rhev.chown);
  const partial = `${rhev.ovfPath}.partial`;
  await writeFile(partial, plan.ovf.xml);
  await giveToVdsm(partial, rhev.chown);
  await rename(partial, rhev.ovfPath);
  ctx.log("info", `Wrote ${rhev.ovfPath}: import ${prepared.name} from the export domain in RHEV's VM Import tab`, OUTPUT_STAGE);
  return { ...result(prepared), ovfPath: rhev.ovfPath, metaPaths };
}

export async function cleanupRhev(ctx: StageContext, _plan: ConversionPlan, prepared: PreparedOutput): Promise<void> {
  const rhev = prepared.rhev;
  if (!rhev) return;
  const inDomain = (p: string) => p.slice(rhev.domainDir.length + 1);
  await removeCreatedFiles(ctx, prepared.volumes, (v) => `Automatically cleaning up volume ${inDomain(v.path)} from ${rhev.domainDir}.`);
  for (const v of prepared.volumes) if (!v.existed) await rm(`${v.path}.meta`, { force: true });
  // The VM directory is named by the plan's fresh UUID and did not exist at prepare time.
  if (await pathExists(rhev.ovfDir)) {
    ctx.log("info", `Removing ${rhev.ovfDir}`, OUTPUT_STAGE);
    await rm(rhev.ovfDir, { recursive: true, force: true });
  }
  for (const dir of [...prepared.createdDirs].reverse()) await rm(dir, { recursive: true, force: true });
}
