// The output stage (issue 5, point 7), by -o method. The pipeline calls prepareOutput before
// the copy (refusals up front: an existing domain, a missing pool or directory, an export
// domain that is not attached; nothing is copied when they fire), finishOutput after the
// conversion (define / NAME.xml / .meta and OVF), and cleanupOutput when anything after a
// successful prepareOutput fails or is cancelled: it removes what this conversion created and
// never a volume it reused. A prepareOutput that fails has already undone its own work.
import type { ConversionPlan } from "../v2v/index.ts";
import type { StageContext } from "./context.ts";
import { cleanupLibvirt, finishLibvirt, prepareLibvirt } from "./output-libvirt.ts";
import { cleanupLocal, finishLocal, prepareLocal } from "./output-local.ts";
import { cleanupRhev, finishRhev, prepareRhev } from "./output-rhev.ts";
import type { OutputOptions, OutputResult, PreparedOutput } from "./output-common.ts";

export type { OutputOptions, OutputResult, PreparedOutput, PreparedVolume } from "./output-common.ts";
export { OUTPUT_STAGE, OutputError, type OutputErrorCode } from "./target.ts";

export function prepareOutput(ctx: StageContext, plan: ConversionPlan, options: OutputOptions = {}): Promise<PreparedOutput> {
  switch (plan.output.method) {
    case "libvirt":
      return prepareLibvirt(ctx, plan, options);
    case "local":
      return prepareLocal(ctx, plan);
    case "rhev":
      return prepareRhev(ctx, plan);
  }
}

export function finishOutput(ctx: StageContext, plan: ConversionPlan, prepared: PreparedOutput, options: OutputOptions = {}): Promise<OutputResult> {
  switch (prepared.method) {
    case "libvirt":
      return finishLibvirt(ctx, plan, prepared, options);
    case "local":
      return finishLocal(ctx, plan, prepared);
    case "rhev":
      return finishRhev(ctx, plan, prepared, options);
  }
}

/** Safe to call more than once, and after a cancel (it runs with a signal of its own). */
export function cleanupOutput(ctx: StageContext, plan: ConversionPlan, prepared: PreparedOutput, options: OutputOptions = {}): Promise<void> {
  switch (prepared.method) {
    case "libvirt":
      return cleanupLibvirt(ctx, plan, prepared, options);
    case "local":
      return cleanupLocal(ctx, plan, prepared);
    case "rhev":
      return cleanupRhev(ctx, plan, prepared);
  }
}
