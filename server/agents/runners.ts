// The runners an agent can be given. `pipelineRunner` is the conversion pipeline
// (server/engine/pipeline.ts through pipeline-runner.ts; setPipelineRunner replaces it); `copyRunner` runs only the
// engine's real copy stage over a plan's disks: what the agent tests use, and `ferry agent
// --runner copy` for checking a conversion host's storage path end to end.
import { z } from "zod";
import { copyDisks } from "../engine/copy.ts";
import { assertSourcesAllowed } from "../engine/source-dirs.ts";
import { createPipelineRunner } from "./pipeline-runner.ts";
import type { ConversionRunner } from "./runtime.ts";

const ZCopyPlan = z.object({
  output: z.object({ format: z.enum(["raw", "qcow2"]), allocation: z.enum(["sparse", "preallocated"]) }).passthrough(),
  disks: z
    .array(
      z.object({ name: z.string(), targetPath: z.string(), source: z.object({ path: z.string(), format: z.string().optional() }).passthrough() }).passthrough(),
    )
    .min(1),
});

/** Copies plan.disks[].source.path to plan.disks[].targetPath (format and allocation of plan.output). */
export const copyRunner: ConversionRunner = async (ctx, job) => {
  const parsed = ZCopyPlan.safeParse(job.plan);
  if (!parsed.success) {
    throw Object.assign(new Error(`Conversion #${job.number} has no plan with disks to copy (${parsed.error.issues.map((i) => i.path.join(".")).join(", ")})`), { code: "NO_PLAN" });
  }
  const plan = parsed.data;
  if (job.dryRun) return { status: "planned", plan: job.plan };
  // Local source files only from the agent's source directories (nbd/ssh URIs are not local).
  await assertSourcesAllowed(plan.disks.map((d) => d.source.path), job.sourceDirs, job.sourceDirsHint);
  const copies = await copyDisks(
    ctx,
    plan.disks.map((d) => ({ name: d.name, source: d.source.path, sourceFormat: d.source.format, target: d.targetPath })),
    { format: plan.output.format, allocation: plan.output.allocation },
  );
  return { status: "succeeded", result: { copies } };
};

const holder = globalThis as unknown as { __ferryPipelineRunner?: ConversionRunner };

/** The lead's pipeline registers itself here (server.ts or the pipeline module at load). */
export function setPipelineRunner(runner: ConversionRunner): void {
  holder.__ferryPipelineRunner = runner;
}

const defaultPipeline = createPipelineRunner();

/** The full pipeline (server/engine/pipeline.ts), unless a test or host installed another. */
export const pipelineRunner: ConversionRunner = (ctx, job) => (holder.__ferryPipelineRunner ?? defaultPipeline)(ctx, job);
