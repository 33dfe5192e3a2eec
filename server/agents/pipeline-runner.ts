// The agent's ConversionRunner for real conversions: turns a claimed conversion (its stored
// request, the configuration it was created with, a stored plan on a retry) into a pipeline job
// and runs server/engine/pipeline.ts. Shared by the embedded agent and `ferry agent`.
import { writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import type { ConfigFile, ConversionPlan } from "../v2v/index.ts";
import { runPipeline, type PipelineRequest } from "../engine/pipeline.ts";
import type { TConversionRequest } from "../conversions/request.ts";
import { assertRunnable } from "./matching.ts";
import type { ConversionRunner } from "./runtime.ts";

export type PipelineRunnerOptions = {
  /** Where relative app paths of layers with no repository on this host are looked up (ferry agent --software-root). */
  softwareRoot?: string | undefined;
  /** `qemu` where the target host has no usable KVM; default FERRY_DOMAIN_TYPE or kvm. */
  domainType?: "kvm" | "qemu" | undefined;
};

function domainTypeFrom(env: NodeJS.ProcessEnv): "kvm" | "qemu" | undefined {
  const v = env.FERRY_DOMAIN_TYPE;
  return v === "qemu" || v === "kvm" ? v : undefined;
}

/** The request the console stored, as the pipeline takes it (the XML is written to the scratch dir). */
export async function pipelineRequest(request: TConversionRequest, scratchDir: string, dryRun: boolean): Promise<PipelineRequest> {
  let source: PipelineRequest["source"];
  let diskPaths: Record<string, string> | undefined;
  if (request.source.method === "libvirtxml") {
    await mkdir(scratchDir, { recursive: true });
    const file = path.join(scratchDir, "source.xml");
    await writeFile(file, request.source.xml, "utf8");
    source = { method: "libvirtxml", file };
    diskPaths = request.source.disks;
  } else {
    source = { method: "libvirt", uri: request.source.uri, guest: request.source.guest };
  }
  return {
    source,
    diskPaths,
    output: { ...request.output },
    profile: request.profile ?? undefined,
    network: request.network,
    bridge: request.bridge,
    dryRun,
    // Sealed as stored: the pipeline opens them with this host's FERRY_SECRET_KEY when it reads the source.
    remote: request.source.remote,
    credentials: request.credentials,
  };
}

export function createPipelineRunner(options: PipelineRunnerOptions = {}): ConversionRunner {
  return async (ctx, job) => {
    if (job.configError) throw Object.assign(new Error(job.configError), { code: "CONFIG" });
    const files = job.config as ConfigFile[] | undefined;
    if (!files || files.length === 0) {
      throw Object.assign(new Error(`Conversion #${job.number} came without its configuration layers.`), { code: "NO_CONFIG" });
    }
    const request = await pipelineRequest(job.request as TConversionRequest, ctx.scratchDir, job.dryRun);
    const stored = !job.dryRun && job.plan ? (job.plan as ConversionPlan) : undefined;
    const outcome = await runPipeline(ctx, {
      request,
      files,
      plan: stored,
      softwareRoot: options.softwareRoot,
      // Beside the attempts' scratch directories (conv-N-attempt-M), under the agent's own.
      transferIsoCache: path.join(path.dirname(ctx.scratchDir), "transfer-isos"),
      domainType: options.domainType ?? domainTypeFrom(process.env),
      sourceDirs: job.sourceDirs,
      sourceDirsHint: job.sourceDirsHint,
      onOutputs: (paths: string[]) => job.recordOutputs(paths),
      // A pool, network or tool the plan needs and this agent lacks: refused before any copy.
      onPlanned: (plan: ConversionPlan) => assertRunnable(job.capabilities, { request: job.request, plan, dryRun: false }),
    });
    return outcome.status === "planned" ? { status: "planned", plan: outcome.plan } : { status: "succeeded", plan: outcome.plan, result: outcome.result };
  };
}
