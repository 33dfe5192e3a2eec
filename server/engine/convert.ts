// The convert stage: virt-v2v-in-place on the copied disks (drivers, boot loader, initrd,
// fstab, console). Its machine-readable JSON lines become Ferry's log and progress; its debug
// output says which buses the guest can use (gcaps_block_bus / gcaps_net_bus), which the
// result reports plainly.
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { escapeXmlAttr, escapeXmlText } from "../v2v/xml-options.ts";
import type { LogLevel, StageContext } from "./context.ts";
import { ToolFailedError } from "./errors.ts";
import { preflight, run, type Env } from "./tools.ts";

export const CONVERT_STAGE = "convert";

export type ConvertDisk = {
  path: string;
  format: string;
  /** The source domain's target device (xvda, hda, sda, vda): the names the guest's files use. */
  dev?: string | undefined;
};

export type ConvertRequest = {
  guestName: string;
  disks: readonly ConvertDisk[];
  arch?: string | undefined;
  memoryKiB?: number | undefined;
  vcpus?: number | undefined;
  /** A virtio-win driver folder (the plan's Windows `virtio` app): passed as VIRTIO_WIN. */
  virtioWin?: string | undefined;
  env?: Env | undefined;
};

export type Drivers = { block: string; net: string };

export type ConvertResult = {
  /** virtio-blk / virtio-scsi / ide, and virtio-net / e1000 / rtl8139, as virt-v2v chose. */
  drivers: Drivers;
  /** Every message virt-v2v printed, in order. */
  messages: string[];
  warnings: string[];
};

/** virt-v2v-in-place refused or failed; the message is its own. */
export class ConvertFailedError extends Error {
  readonly code = "CONVERT_FAILED";
  constructor(message: string) {
    super(message);
    this.name = "ConvertFailedError";
  }
}

// ---- the input domain -----------------------------------------------------------------------

function busFor(dev: string): string {
  if (dev.startsWith("xvd")) return "xen";
  if (dev.startsWith("vd")) return "virtio";
  if (dev.startsWith("sd")) return "scsi";
  return "ide";
}

const driveLetters = (i: number): string => (i < 26 ? String.fromCharCode(97 + i) : driveLetters(Math.floor(i / 26) - 1) + driveLetters(i % 26));

/**
 * The libvirt XML virt-v2v-in-place reads: the copied disks under the source's device names
 * (unknown names become hdX: virt-v2v's own guess is that the source used IDE).
 */
export function inPlaceDomainXml(request: ConvertRequest): string {
  const disks = request.disks.map((d, i) => {
    const dev = d.dev ?? `hd${driveLetters(i)}`;
    // Double-quoted attributes: escapeXmlAttr escapes `"`, and paths may hold `'`.
    return [
      '    <disk type="file" device="disk">',
      `      <driver name="qemu" type="${escapeXmlAttr(d.format)}"/>`,
      `      <source file="${escapeXmlAttr(d.path)}"/>`,
      `      <target dev="${escapeXmlAttr(dev)}" bus="${busFor(dev)}"/>`,
      "    </disk>",
    ].join("\n");
  });
  return [
    '<domain type="kvm">',
    `  <name>${escapeXmlText(request.guestName)}</name>`,
    `  <memory unit="KiB">${request.memoryKiB ?? 1048576}</memory>`,
    `  <vcpu>${request.vcpus ?? 1}</vcpu>`,
    `  <os><type arch="${escapeXmlAttr(request.arch ?? "x86_64")}">hvm</type></os>`,
    "  <devices>",
    ...disks,
    "  </devices>",
    "</domain>",
    "",
  ].join("\n");
}

// ---- its output -----------------------------------------------------------------------------

export type V2vMessage = { type: "message" | "info" | "warning" | "error"; message: string };

/** One stdout line: a JSON message, or undefined for the human duplicates and anything else. */
export function parseMachineReadableLine(line: string): V2vMessage | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith("{")) return undefined;
  try {
    const value = JSON.parse(trimmed) as { message?: unknown; type?: unknown };
    if (typeof value.message !== "string") return undefined;
    const type = value.type === "info" || value.type === "warning" || value.type === "error" ? value.type : "message";
    return { type, message: value.message };
  } catch {
    return undefined;
  }
}

const LEVEL: Record<V2vMessage["type"], LogLevel> = { message: "info", info: "info", warning: "warn", error: "error" };

/** The stages virt-v2v-in-place 2.2 announces, in order (progress is the last one reached). */
export const IN_PLACE_STAGES = [
  "Setting up the source",
  "Opening the source",
  "Inspecting the source",
  "Checking for sufficient free disk space in the guest",
  "Converting ",
  "Mapping filesystem data",
  "Closing the overlay",
  "Assigning disks to buses",
  "Checking if the guest needs BIOS or UEFI to boot",
  "Finishing off",
];

/** `gcaps_block_bus = virtio-blk` and `gcaps_net_bus = virtio-net` from the debug output. */
export function guestcapsFromDebug(text: string): Partial<Drivers> {
  const block = /^gcaps_block_bus = (\S+)/m.exec(text)?.[1];
  const net = /^gcaps_net_bus = (\S+)/m.exec(text)?.[1];
  return { ...(block ? { block } : {}), ...(net ? { net } : {}) };
}

/** What the drivers were when the debug output did not say: virt-v2v's own summary line. */
export function driversFromMessages(messages: readonly V2vMessage[]): Drivers | undefined {
  const windows = messages.some((m) => /^Converting .*Windows/.test(m.message));
  if (messages.some((m) => m.message === "This guest has virtio drivers installed.")) return { block: "virtio-blk", net: "virtio-net" };
  if (messages.some((m) => m.message === "This guest does not have virtio drivers installed.")) {
    return { block: "ide", net: windows ? "rtl8139" : "e1000" };
  }
  return undefined;
}

export function describeDrivers(d: Drivers): string {
  const virtio = d.block.startsWith("virtio") && d.net.startsWith("virtio");
  const fallback = d.block.startsWith("virtio") ? "" : " (no virtio block driver in the guest: IDE fallback)";
  const netFallback = d.net.startsWith("virtio") ? "" : ` (no virtio network driver in the guest: ${d.net} fallback)`;
  return virtio ? `Drivers installed: block ${d.block}, network ${d.net}` : `Drivers: block ${d.block}${fallback}, network ${d.net}${netFallback}`;
}

// ---- the stage ------------------------------------------------------------------------------

export async function convertInPlace(ctx: StageContext, request: ConvertRequest): Promise<ConvertResult> {
  const tool = preflight(["virt-v2v-in-place"], { env: request.env })["virt-v2v-in-place"];
  const xmlPath = join(ctx.scratchDir, `${request.guestName.replace(/[^\w.-]/g, "_")}-in-place.xml`);
  await writeFile(xmlPath, inPlaceDomainXml(request));
  const env: Env = { ...(request.env ?? process.env), ...(request.virtioWin ? { VIRTIO_WIN: request.virtioWin } : {}) };
  if (request.virtioWin) ctx.log("info", `Windows drivers from ${request.virtioWin} (VIRTIO_WIN)`, CONVERT_STAGE);

  const messages: V2vMessage[] = [];
  const total = IN_PLACE_STAGES.length;
  let reached = 0;
  let pending = "";
  const onStdout = (chunk: string) => {
    const parts = (pending + chunk).split("\n");
    pending = parts.pop() ?? "";
    for (const line of parts) {
      const m = parseMachineReadableLine(line);
      if (!m) continue;
      messages.push(m);
      ctx.log(LEVEL[m.type], m.message, CONVERT_STAGE);
      const index = IN_PLACE_STAGES.findIndex((s) => m.message.startsWith(s));
      if (m.type === "message" && index >= 0 && index + 1 > reached) {
        reached = index + 1;
        ctx.progress({ stage: CONVERT_STAGE, done: reached, total, unit: "steps", item: m.message });
      }
    }
  };
  // -v prints the guest capabilities virt-v2v decided on; only those lines are kept.
  const caps: string[] = [];
  let pendingErr = "";
  const onStderr = (chunk: string) => {
    const parts = (pendingErr + chunk).split("\n");
    pendingErr = parts.pop() ?? "";
    for (const line of parts) if (line.startsWith("gcaps_")) caps.push(line);
  };

  ctx.progress({ stage: CONVERT_STAGE, done: 0, total, unit: "steps" });
  try {
    await run(ctx, tool, ["-v", "--machine-readable", "-i", "libvirtxml", xmlPath], { env, onStdout, onStderr });
  } catch (error) {
    if (!(error instanceof ToolFailedError)) throw error;
    const errors = messages.filter((m) => m.type === "error").map((m) => m.message);
    throw new ConvertFailedError(errors.length > 0 ? errors.join("\n") : `virt-v2v-in-place failed (${error.exitCode === null ? `signal ${error.signal}` : `exit code ${error.exitCode}`})`);
  } finally {
    await rm(xmlPath, { force: true });
  }

  const fromDebug = guestcapsFromDebug(caps.join("\n"));
  const fallback = driversFromMessages(messages);
  const drivers: Drivers = {
    block: fromDebug.block ?? fallback?.block ?? "unknown",
    net: fromDebug.net ?? fallback?.net ?? "unknown",
  };
  ctx.log("info", describeDrivers(drivers), CONVERT_STAGE);
  ctx.progress({ stage: CONVERT_STAGE, done: total, total, unit: "steps" });
  return {
    drivers,
    messages: messages.map((m) => m.message),
    warnings: messages.filter((m) => m.type === "warning").map((m) => m.message),
  };
}
