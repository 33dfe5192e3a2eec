// The source stage for local inputs: `-i libvirtxml FILE` (domain XML on the agent host) and
// `-i libvirt -ic URI GUEST` (`virsh dumpxml`, the guest must be shut off). Disks on another
// host are read by remote.ts (ssh, https); -ic esx:// and vpx:// are refused here, before virsh runs.
import { readFile, stat } from "node:fs/promises";
import { parseDomainXml, type SourceGuest } from "../v2v/index.ts";
import type { StageContext } from "./context.ts";
import { unsupportedLibvirtInput } from "./remote.ts";
import { preflight, run, type Env } from "./tools.ts";

export const SOURCE_STAGE = "source";

export type SourceInput = { method: "libvirtxml"; file: string } | { method: "libvirt"; uri: string; guest: string };

export type SourceResult = { guest: SourceGuest; xml: string };

/** Domain XML is small; anything bigger than this is not a `virsh dumpxml`. */
const MAX_XML_BYTES = 16 * 1024 * 1024;

/** A source guest that cannot be converted as it is (virt-v2v's wording). */
export class SourceError extends Error {
  readonly code: "NOT_SHUT_OFF" | "TOO_LARGE";
  constructor(code: "NOT_SHUT_OFF" | "TOO_LARGE", message: string) {
    super(message);
    this.name = "SourceError";
    this.code = code;
  }
}

function report(ctx: StageContext, guest: SourceGuest): void {
  for (const w of guest.warnings) ctx.log("warn", `${w.file}:${w.line}:${w.column}: ${w.message}`, SOURCE_STAGE);
  const disks = guest.disks.map((d) => `${d.target} ${d.path}${d.format ? ` (${d.format})` : ""}`).join(", ");
  ctx.log(
    "info",
    `Source guest ${guest.name}: ${guest.type}, ${guest.memoryKiB} KiB, ${guest.vcpus} vCPU, disks: ${disks}`,
    SOURCE_STAGE,
  );
}

async function readLibvirtXml(ctx: StageContext, file: string): Promise<SourceResult> {
  ctx.log("info", `Setting up the source: -i libvirtxml ${file}`, SOURCE_STAGE);
  const info = await stat(file);
  if (info.size > MAX_XML_BYTES) throw new SourceError("TOO_LARGE", `${file} is ${info.size} bytes: not a libvirt domain XML file`);
  const xml = await readFile(file, "utf8");
  return { guest: parseDomainXml(xml, file), xml };
}

async function readLibvirt(ctx: StageContext, uri: string, name: string, env: Env | undefined): Promise<SourceResult> {
  ctx.log("info", `Setting up the source: -i libvirt -ic ${uri} ${name}`, SOURCE_STAGE);
  const unsupported = unsupportedLibvirtInput(uri);
  if (unsupported) throw unsupported;
  const virsh = preflight(["virsh"], { env }).virsh;
  const state = (await run(ctx, virsh, ["-c", uri, "domstate", "--", name], { env })).stdout.trim();
  if (state !== "shut off") {
    throw new SourceError("NOT_SHUT_OFF", `Guest ${name} is currently ${state}. It must be shut down first.`);
  }
  const xml = (await run(ctx, virsh, ["-c", uri, "dumpxml", "--", name], { env })).stdout;
  return { guest: parseDomainXml(xml, `${uri} ${name}`), xml };
}

/** Reads the source guest's metadata; DomainXmlError for XML that cannot be converted. */
export async function readSource(ctx: StageContext, input: SourceInput, options: { env?: Env } = {}): Promise<SourceResult> {
  const result = input.method === "libvirtxml" ? await readLibvirtXml(ctx, input.file) : await readLibvirt(ctx, input.uri, input.guest, options.env);
  report(ctx, result.guest);
  return result;
}
