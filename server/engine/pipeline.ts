// The whole conversion, stage after stage: source -> measure -> transfer ISO -> inspect (in an
// appliance on overlays of the source, guest-session.ts) -> plan (a dry run stops here) -> output
// prepared -> install software (same appliance, into the overlays) -> copy (of the overlays) ->
// convert in place -> output finished. What was created on the target is removed when a later
// stage fails or the conversion is cancelled. A retry passes the stored plan and skips
// inspection and planning (an appliance starts only to install). A remote source's disks (ssh) are served by nbdkit from before they
// are measured until after they are copied (remote.ts).
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import path from "node:path";
import {
  planConversion,
  resolvePlanOutput,
  type ConfigFile,
  type ConversionPlan,
  type GuestFacts,
  type MeasuredDisk,
} from "../v2v/index.ts";
import type { StageContext } from "./context.ts";
import { copyDisks, imageInfo, type CopyResult } from "./copy.ts";
import { convertInPlace } from "./convert.ts";
import { GuestSession } from "./guest-session.ts";
import { inspectInSession } from "./inspect.ts";
import { installSoftware } from "./install.ts";
import { cleanupOutput, finishOutput, prepareOutput } from "./output.ts";
import { openCredentials, isSealedCredentials, type PlainCredentials, type SealedCredentials } from "../secrets/credentials.ts";
import { openRemoteDisks, type RemoteDisks, type RemoteSource } from "./remote.ts";
import { readSource, type SourceInput } from "./source.ts";
import { assertSourcesAllowed } from "./source-dirs.ts";
import { readOutputTarget } from "./target.ts";
import { buildTransferIso } from "./transfer-iso.ts";
import type { Env } from "./tools.ts";

export const PIPELINE_STAGE = "pipeline";

export type PipelineRequest = {
  source: SourceInput;
  /** Source disk path -> path on this host, when the XML names paths from elsewhere. */
  diskPaths?: Record<string, string> | undefined;
  output: {
    method?: string | undefined;
    uri?: string | undefined;
    storage?: string | undefined;
    format?: string | undefined;
    allocation?: string | undefined;
    name?: string | undefined;
  };
  profile?: string | undefined;
  network?: string[] | undefined;
  bridge?: string[] | undefined;
  dryRun?: boolean | undefined;
  /**
   * Copy only (`ferry convert --copy-only`): no inspection, no software, no in-place conversion;
   * the disks are copied and the output metadata written with the devices virt-v2v falls back
   * to for a guest it cannot convert (IDE, rtl8139). For moving disks, and for measuring what
   * the pipeline costs around the copy itself.
   */
  copyOnly?: boolean | undefined;
  /** The disks are on this host, read over ssh (paths after diskPaths are paths there). Implied by -ic xen+ssh://. */
  remote?: { uri?: string | undefined; knownHosts?: string | undefined; caCert?: string | undefined } | undefined;
  /** For the remote host; sealed ones are opened here, on the agent, only when the source is read. */
  credentials?: PlainCredentials | SealedCredentials | undefined;
};

export type PipelineJob = {
  request: PipelineRequest;
  /** The configuration layers in search order, relative app paths already resolvable here. */
  files: readonly ConfigFile[];
  /** A stored plan (retry): inspection and planning are skipped. */
  plan?: ConversionPlan | undefined;
  /** Replaces every layer's path-root for relative app paths (`ferry agent --software-root`). */
  softwareRoot?: string | undefined;
  /** Agents: where transfer ISOs are kept and reused while their files are unchanged (transfer-iso.ts). */
  transferIsoCache?: string | undefined;
  /** Called with the paths about to be written on the target, before any is created (a retry removes them). */
  onOutputs?: ((paths: string[]) => Promise<void>) | undefined;
  /** Called with a fresh plan before anything is written (the agent checks it can run it). */
  onPlanned?: ((plan: ConversionPlan) => void | Promise<void>) | undefined;
  /** `kvm` normally; `qemu` where the host has no usable KVM (tests). */
  domainType?: "kvm" | "qemu" | undefined;
  /** Agents: the only directories local source disks may be in (realpath); undefined = unrestricted (`ferry convert`). */
  sourceDirs?: readonly string[] | undefined;
  /** Said in the refusal: how this host's operator allows a directory. */
  sourceDirsHint?: string | undefined;
  env?: Env | undefined;
};

export type PipelineResult =
  | { status: "planned"; plan: ConversionPlan }
  | { status: "succeeded"; plan: ConversionPlan; result: ConversionOutcome };

export type ConversionOutcome = {
  disks: { name: string; path: string; format: string; virtualSize: number; reused: boolean }[];
  installed: string[];
  upgraded: string[];
  drivers: { block: string; net: string; reason: string };
  output: Record<string, unknown>;
};

function checkCancelled(ctx: StageContext): void {
  if (ctx.signal.aborted) throw ctx.signal.reason instanceof Error ? ctx.signal.reason : new Error("cancelled");
}

/** Where the request's disks are read over ssh or https (esx://) from, or undefined for disks on this host. */
export function remoteSourceOf(request: PipelineRequest): RemoteSource | undefined {
  const { source } = request;
  const uri = request.remote?.uri ?? (source.method === "libvirt" && /^[a-z]+\+ssh:\/\//i.test(source.uri) ? source.uri : undefined);
  if (uri === undefined) return undefined;
  const stored = request.credentials;
  const credentials = stored && isSealedCredentials(stored) ? openCredentials(stored) : stored;
  return { uri, knownHosts: request.remote?.knownHosts, caCert: request.remote?.caCert, credentials };
}

/** What the planner is told for --copy-only: an OS no converter handles (virt-v2v's IDE/rtl8139 fallback). */
const COPY_ONLY_FACTS: GuestFacts = { os: "copy-only", distro: undefined, major: undefined, minor: undefined, arch: undefined, kernel: undefined, packages: [], memoryKiB: undefined, vcpus: undefined };

type OpenRemote = (paths: string[]) => Promise<RemoteDisks | undefined>;

/** The transfer ISO of every readable app path in the configuration (reference §1.6), or none. */
async function transferIso(ctx: StageContext, job: PipelineJob): Promise<string | undefined> {
  await mkdir(ctx.scratchDir, { recursive: true });
  const built = await buildTransferIso(ctx, { files: job.files, output: path.join(ctx.scratchDir, "transfer.iso"), softwareRoot: job.softwareRoot, cacheDir: job.transferIsoCache, env: job.env });
  return built?.path;
}

/** One appliance on overlays of the source disks, the transfer ISO attached. */
async function openSession(ctx: StageContext, job: PipelineJob, disks: readonly { path: string; format: string }[], remote: RemoteDisks | undefined, iso: string | undefined): Promise<GuestSession> {
  return GuestSession.open(ctx, disks.map((d) => ({ path: remote ? remote.qemuUri(d.path) : d.path, format: d.format })), { iso, env: job.env });
}

/** `keep` receives the appliance as soon as it exists: the caller disposes of it, and installs with it. */
async function makePlan(ctx: StageContext, job: PipelineJob, openRemote: OpenRemote, keep: (session: GuestSession) => void): Promise<ConversionPlan> {
  const { request } = job;
  const { guest } = await readSource(ctx, request.source, { env: job.env });
  checkCancelled(ctx);
  const local = (p: string) => request.diskPaths?.[p] ?? p;
  // Before anything reads a disk: local disks only from the directories this agent may read.
  if (!remoteSourceOf(request)) await assertSourcesAllowed(guest.disks.map((d) => local(d.path)), job.sourceDirs, job.sourceDirsHint);
  // Remote disks keep their remote path in the plan (volume names come from it); they are read through NBD.
  const remote = await openRemote(guest.disks.map((d) => local(d.path)));
  const disks: MeasuredDisk[] = [];
  for (const d of guest.disks) {
    const info = await imageInfo(ctx, remote ? remote.qemuUri(local(d.path)) : local(d.path), d.format, job.env);
    disks.push({ path: local(d.path), format: info.format, virtualSize: info.virtualSize, actualSize: info.actualSize });
  }
  let facts: GuestFacts = COPY_ONLY_FACTS;
  if (!request.copyOnly) {
    // Built before the appliance starts, as virt-v2v did: the appliance that inspects is the one
    // that installs, and it cannot take a drive once started.
    const iso = await transferIso(ctx, job);
    checkCancelled(ctx);
    const session = await openSession(ctx, job, disks, remote, iso);
    keep(session);
    facts = await inspectInSession(ctx, session);
  }
  checkCancelled(ctx);
  const options = {
    profile: request.profile,
    format: request.output.format,
    allocation: request.output.allocation,
    network: request.network,
    bridge: request.bridge,
    outputName: request.output.name,
  };
  const resolved = resolvePlanOutput(job.files, {
    profile: request.profile,
    method: request.output.method,
    uri: request.output.uri,
    storage: request.output.storage,
    format: request.output.format,
    allocation: request.output.allocation,
  });
  for (const w of resolved.warnings) ctx.log("warn", w, "plan");
  const target = await readOutputTarget(ctx, { method: resolved.method, uri: resolved.uri, storage: resolved.storage }, { env: job.env });
  const guestForPlan = { ...guest, disks: guest.disks.map((d) => ({ ...d, path: local(d.path) })) };
  const plan = planConversion({
    files: job.files,
    guest: guestForPlan,
    facts,
    disks,
    target,
    options,
    exists: (p) => existsSync(p),
    softwareRoot: job.softwareRoot,
    newId: () => randomUUID(),
    domainType: job.domainType,
  });
  for (const w of plan.warnings) ctx.log("warn", w, "plan");
  if (request.copyOnly) plan.drivers.reason = "--copy-only: the guest is not inspected or converted, so it keeps devices any guest has";
  ctx.log("info", `Plan: ${plan.disks.length} disk(s) to ${plan.output.method} ${plan.output.storage}, ${plan.drivers.block} block and ${plan.drivers.net} network drivers (${plan.drivers.reason})`, "plan");
  return plan;
}

/** virtio-blk/virtio-scsi count as virtio, virtio-net as virtio. */
function family(driver: string): string {
  return driver.startsWith("virtio") ? "virtio" : driver;
}

/**
 * The output guest's XML was written for the plan's drivers; a guest virt-v2v-in-place configured
 * otherwise would not boot with it, so that is a failure, said plainly, not a silent success.
 */
function checkDrivers(plan: ConversionPlan, drivers: { block: string; net: string }): void {
  const wanted = plan.drivers;
  if (family(drivers.block) === family(wanted.block) && family(drivers.net) === family(wanted.net)) return;
  throw Object.assign(
    new Error(
      `virt-v2v-in-place configured the guest for ${drivers.block} storage and ${drivers.net} networking, but the plan ` +
        `(${wanted.reason}) expected ${wanted.block} and ${wanted.net}: the output guest was not created. Re-plan the conversion.`,
    ),
    { code: "DRIVERS_MISMATCH" },
  );
}

/** Runs one conversion; throws the stage's typed error (after cleaning up) when it fails. */
export async function runPipeline(ctx: StageContext, job: PipelineJob): Promise<PipelineResult> {
  const source = remoteSourceOf(job.request);
  let remote: RemoteDisks | undefined;
  const openRemote: OpenRemote = async (paths) => (remote ??= source ? await openRemoteDisks(ctx, source, paths, { env: job.env }) : undefined);
  try {
    return await runOpened(ctx, job, openRemote);
  } finally {
    await (remote as RemoteDisks | undefined)?.close();
  }
}

async function runOpened(ctx: StageContext, job: PipelineJob, openRemote: OpenRemote): Promise<PipelineResult> {
  // A stored plan (retry) is checked again: the allow-list may have changed since it was made.
  if (job.plan && !remoteSourceOf(job.request)) await assertSourcesAllowed(job.plan.disks.map((d) => d.source.path), job.sourceDirs, job.sourceDirsHint);
  const copyOnly = job.request.copyOnly === true;
  let session: GuestSession | undefined;
  try {
    const plan = job.plan ?? (await makePlan(ctx, job, openRemote, (s) => (session = s)));
    if (job.request.dryRun) return { status: "planned", plan };
    await job.onPlanned?.(plan);
    checkCancelled(ctx);
    const remote = await openRemote(plan.disks.map((d) => d.source.path));
    // After the output is prepared (its refusals come first), before the copy: into the overlays.
    const install = async () => {
      if (!plan.software || copyOnly) return { installed: [], upgraded: [] };
      // A retry has no appliance yet: one is started (and inspects again) only if there is software to install.
      if (!session && !plan.software.satisfied) session = await openSession(ctx, job, plan.disks.map((d) => d.source), remote, await transferIso(ctx, job));
      const installed = session ? await installSoftware(ctx, session, plan.software) : { installed: [], upgraded: [] };
      await session?.close();
      checkCancelled(ctx);
      return installed;
    };
    // With software installed, the copy reads the overlays (the source plus what was installed).
    return await convertAndOutput(ctx, job, plan, install, (i, d) => {
      const overlays = session?.changed ? session.overlays : undefined;
      return overlays ? { source: (overlays[i] as { path: string }).path, format: "qcow2" } : { source: remote ? remote.qemuUri(d.source.path) : d.source.path, format: d.source.format };
    });
  } finally {
    await session?.dispose();
  }
}

type CopySource = (index: number, disk: ConversionPlan["disks"][number]) => { source: string; format: string };

type Installed = { installed: string[]; upgraded: string[] };

async function convertAndOutput(ctx: StageContext, job: PipelineJob, plan: ConversionPlan, install: () => Promise<Installed>, copySource: CopySource): Promise<PipelineResult> {
  await job.onOutputs?.(plan.disks.map((d) => d.targetPath));
  const prepared = await prepareOutput(ctx, plan, { env: job.env });
  try {
    const copyOnly = job.request.copyOnly === true;
    const installed = await install();
    const copies: CopyResult[] = await copyDisks(
      ctx,
      plan.disks.map((d, i) => {
        const from = copySource(i, d);
        return { name: d.name, source: from.source, sourceFormat: from.format, virtualSize: d.source.virtualSize, target: d.targetPath, format: d.format, allocation: d.allocation };
      }),
      { format: plan.output.format, allocation: plan.output.allocation, env: job.env },
    );
    checkCancelled(ctx);
    const copied = plan.disks.map((d) => ({ path: d.targetPath, format: d.format, dev: d.source.target }));
    const converted = copyOnly
      ? { drivers: { block: plan.drivers.block, net: plan.drivers.net } }
      : await convertInPlace(ctx, {
          guestName: plan.guest.name,
          disks: copied,
          arch: plan.guest.arch,
          virtioWin: plan.windows?.virtio,
          env: job.env,
        });
    if (copyOnly) ctx.log("info", "--copy-only: the guest was not inspected, given software or converted; its disks were copied as they are", PIPELINE_STAGE);
    checkDrivers(plan, converted.drivers);
    checkCancelled(ctx);
    const output = await finishOutput(ctx, plan, prepared, { env: job.env });
    return {
      status: "succeeded",
      plan,
      result: {
        disks: copies.map((c) => ({ name: c.name, path: c.target, format: c.format, virtualSize: c.virtualSize, reused: c.reused })),
        installed: installed.installed,
        upgraded: installed.upgraded,
        drivers: { ...converted.drivers, reason: plan.drivers.reason },
        output: output as Record<string, unknown>,
      },
    };
  } catch (error) {
    await cleanupOutput(ctx, plan, prepared, { env: job.env }).catch((e: unknown) =>
      ctx.log("warn", `Cleaning up the output failed: ${e instanceof Error ? e.message : String(e)}`, PIPELINE_STAGE),
    );
    throw error;
  }
}
