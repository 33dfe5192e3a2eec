// Every disk's copy: which source, which output volume (name, path, format, allocation,
// size) and which device it becomes in the output guest.
//
// Volume names, one rule per output:
// - libvirt: the source volume's basename, as virt-v2v 0.9.1 names pool volumes (so an
//   existing volume of that name is the "already exists, NOT copying it again" case, as
//   there). Two disks with the same basename: the later ones get `-<source dev>` appended,
//   where 0.9.1 would have silently reused the first one's volume.
// - local: NAME-sda, NAME-sdb, ... in output order (virt-v2v 2.x -o local; 0.9.1 had no
//   -o local), NAME being the output name (-on).
// - rhev: the volume UUID in images/IMAGE-UUID/ (the export-domain layout decides).
import type { MeasuredDisk, OutputTarget, PlannedDisk } from "./conversion-plan.ts";
import type { SourceDisk } from "./domain-xml.ts";
import { joinPath } from "./match.ts";
import { PlanError, invalidPoolError, noStorageDomainError } from "./plan-errors.ts";
import { isOutputFormat, unsupportedFormatError, type OutputAllocation, type OutputFormat, type ResolvedPlanOutput } from "./plan-output.ts";

/** Pool types whose volumes can have a format; others are raw (virt-v2v 0.9.1's format_pools). */
const FORMAT_POOLS = new Set(["dir", "fs", "netfs"]);
/** Pool types whose volumes are block devices. */
const BLOCK_POOLS = new Set(["logical", "disk", "iscsi", "iscsi-direct", "scsi", "mpath", "rbd", "sheepdog", "zfs"]);

/** virt-v2v's disk order: sd* first, then the rest, each in lexical order of the target dev. */
export function sortedDiskIndexes(disks: readonly SourceDisk[]): number[] {
  const key = (d: SourceDisk) => `${d.target.startsWith("sd") ? "0" : "1"}${d.target}`;
  return disks.map((_, i) => i).sort((a, b) => {
    const ka = key(disks[a] as SourceDisk);
    const kb = key(disks[b] as SourceDisk);
    return ka < kb ? -1 : ka > kb ? 1 : a - b;
  });
}

/** Device names: a, b, ..., z, aa, ab, ... (libvirt's and the kernel's scheme). */
export function driveLetters(index: number): string {
  let n = index;
  let out = "";
  do {
    out = String.fromCharCode(97 + (n % 26)) + out;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return out;
}

function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1) || trimmed;
}

const roundUp = (n: number, to: number) => Math.ceil(n / to) * to;

export type DiskPlanInput = {
  disks: readonly SourceDisk[];
  measured: readonly MeasuredDisk[];
  output: ResolvedPlanOutput;
  target: OutputTarget;
  outputName: string;
  bus: "virtio" | "ide";
  newId: () => string;
  /** Seconds since the epoch, for the .meta files' CTIME/MTIME. */
  now: number;
  warnings: string[];
};

function sourceAllocation(disk: SourceDisk, measured: MeasuredDisk): OutputAllocation {
  // A block device is fully allocated; a file is sparse when the host holds less than its size.
  if (disk.type === "block") return "preallocated";
  if (measured.actualSize === undefined) return "sparse";
  return measured.actualSize < measured.virtualSize ? "sparse" : "preallocated";
}

export function rhevMeta(o: {
  domain: string;
  imageId: string;
  format: OutputFormat;
  allocation: OutputAllocation;
  capacity: number;
  now: number;
}): string {
  return [
    `DOMAIN=${o.domain}`,
    "VOLTYPE=LEAF",
    `CTIME=${o.now}`,
    `FORMAT=${o.format === "raw" ? "RAW" : "COW"}`,
    `IMAGE=${o.imageId}`,
    "DISKTYPE=1",
    "PUUID=00000000-0000-0000-0000-000000000000",
    "LEGALITY=LEGAL",
    `MTIME=${o.now}`,
    "POOL_UUID=00000000-0000-0000-0000-000000000000",
    `SIZE=${o.capacity / 512}`,
    `TYPE=${o.allocation === "sparse" ? "SPARSE" : "PREALLOCATED"}`,
    "DESCRIPTION=Exported by virt-v2v",
    "EOF",
    "",
  ].join("\n");
}

/** The output storage directory, checked against the target facts (virt-v2v's refusals). */
function outputDir(input: DiskPlanInput): string {
  const { output, target } = input;
  if (output.method === "libvirt") {
    const pool = target.pool;
    if (!pool || pool.name !== output.storage) throw invalidPoolError(output.storage);
    return pool.path;
  }
  if (output.method === "rhev") {
    if (!target.rhevDomain) throw noStorageDomainError(output.storage);
    return joinPath(joinPath(output.storage, target.rhevDomain), "images");
  }
  return output.storage;
}

export function planDisks(input: DiskPlanInput): PlannedDisk[] {
  const { disks, measured, output, target, warnings } = input;
  if (measured.length !== disks.length) {
    throw new PlanError("DISKS_MISMATCH", `the guest has ${disks.length} disks but ${measured.length} were measured`);
  }
  const dir = outputDir(input);
  const pool = output.method === "libvirt" ? target.pool : undefined;
  const used = new Set<string>();
  return sortedDiskIndexes(disks).map((sourceIndex, index): PlannedDisk => {
    const disk = disks[sourceIndex] as SourceDisk;
    const m = measured[sourceIndex] as MeasuredDisk;
    const sourceFormat = disk.format ?? m.format;
    const wanted = output.format ?? m.format;
    if (!isOutputFormat(wanted)) throw unsupportedFormatError(wanted);
    let format: OutputFormat = wanted;
    if (pool && !FORMAT_POOLS.has(pool.type)) {
      if (format !== "raw") warnings.push(`Target pool type ${pool.type} doesn't support format ${format}`);
      format = "raw";
    }
    const allocation = output.allocation ?? sourceAllocation(disk, m);
    const dev = driveLetters(index);
    const base = {
      index,
      sourceIndex,
      source: { path: disk.path, target: disk.target, bus: disk.bus, format: sourceFormat, virtualSize: m.virtualSize, ...(m.actualSize === undefined ? {} : { actualSize: m.actualSize }) },
      targetDev: `${input.bus === "virtio" ? "vd" : "hd"}${dev}`,
      bus: input.bus,
      format,
      allocation,
    };
    if (output.method === "rhev") {
      const imageId = input.newId();
      const volumeId = input.newId();
      const targetPath = joinPath(joinPath(dir, imageId), volumeId);
      const capacity = roundUp(m.virtualSize, 512);
      const meta = rhevMeta({ domain: target.rhevDomain as string, imageId, format, allocation, capacity, now: input.now });
      return {
        ...base,
        name: volumeId,
        targetPath,
        capacity,
        volumeType: "file",
        rhev: { imageId, volumeId, metaPath: `${targetPath}.meta`, meta },
      };
    }
    let name: string;
    if (output.method === "local") name = `${input.outputName}-sd${dev}`;
    else {
      name = basename(disk.path);
      if (used.has(name)) name = `${name}-${disk.target}`;
    }
    used.add(name);
    return {
      ...base,
      name,
      targetPath: joinPath(dir, name),
      capacity: output.method === "libvirt" ? roundUp(m.virtualSize, 1024) : m.virtualSize,
      volumeType: pool && BLOCK_POOLS.has(pool.type) ? "block" : "file",
    };
  });
}
