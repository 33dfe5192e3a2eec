// The agent protocol: request bodies (zod, strict: a wrong or unknown field is named in the
// error) and replies. Remote agents speak it over HTTP (app/api/agent/*); the embedded agent
// calls the same service functions directly.
import { z } from "zod";
import { runLength, type SeqLogLine } from "../log-columns.ts";
import { ZAgentCapabilities } from "./capabilities.ts";

const id = z.string().min(1, "must not be empty").max(200);
const attempt = z.number().int().min(1);

export const ZRegister = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/, "letters, digits, '.', '_', '@' and '-', at most 100"),
    hostname: z.string().max(255),
    version: z.string().max(100),
    concurrency: z.number().int().min(1).max(64),
    capabilities: ZAgentCapabilities,
  })
  .strict();

export const ZHeartbeat = z
  .object({ agentId: id, running: z.array(id).max(256), capabilities: ZAgentCapabilities.optional() })
  .strict();

export const ZClaim = z.object({ agentId: id }).strict();

/** Lines in one logs request, at most. */
export const MAX_LOG_LINES = 10_000;
const count = z.number().int().min(1).max(MAX_LOG_LINES);
const runsOf = <T extends z.ZodType>(value: T) => z.array(z.tuple([value, count])).min(1).max(MAX_LOG_LINES);

/**
 * A batch's lines as columns (server/log-columns.ts): seq as ranges `[first, count]`; at, level
 * and stage as runs `[value, count]`; one message per line. Each column must cover exactly as
 * many lines as there are messages (the error names the column that does not).
 */
export const ZLogColumns = z
  .object({
    seq: z.array(z.tuple([z.number().int().min(0), count])).min(1).max(MAX_LOG_LINES),
    at: runsOf(z.string().datetime({ offset: true })),
    level: runsOf(z.enum(["debug", "info", "warn", "error"])),
    stage: runsOf(z.string().max(100)),
    message: z.array(z.string().max(64 * 1024)).min(1).max(MAX_LOG_LINES),
  })
  .strict()
  .superRefine((c, ctx) => {
    for (const column of ["seq", "at", "level", "stage"] as const) {
      const n = runLength(c[column]);
      if (n !== c.message.length) ctx.addIssue({ code: "custom", path: [column], message: `covers ${n} lines, but there are ${c.message.length} messages` });
    }
  });

export const ZLogBatch = z.object({ agentId: id, conversionId: id, attempt, lines: ZLogColumns }).strict();

export const ZProgressEvent = z
  .object({
    stage: z.string().max(100),
    done: z.number().min(0),
    total: z.number().min(0),
    unit: z.enum(["bytes", "steps"]),
    item: z.string().max(500).optional(),
  })
  .strict();

export const ZProgress = z.object({ agentId: id, conversionId: id, attempt, progress: ZProgressEvent }).strict();

export const ZOutputs = z.object({ agentId: id, conversionId: id, attempt, paths: z.array(z.string().min(1)).max(1000) }).strict();

export const FINAL_STATUSES = ["succeeded", "planned", "failed", "cancelled", "interrupted"] as const;
export type FinalStatus = (typeof FINAL_STATUSES)[number];

export const ZResult = z
  .object({
    agentId: id,
    conversionId: id,
    attempt,
    status: z.enum(FINAL_STATUSES),
    plan: z.unknown().optional(),
    result: z.unknown().optional(),
    errorCode: z.string().max(100).optional(),
    error: z.string().max(64 * 1024).optional(),
  })
  .strict()
  .refine((r) => r.status === "succeeded" || r.status === "planned" || (r.error ?? "") !== "", { message: "a failed, cancelled or interrupted result says why", path: ["error"] })
  .refine((r) => r.status !== "planned" || r.plan !== undefined, { message: "a planned result carries the plan", path: ["plan"] });

export type TRegister = z.infer<typeof ZRegister>;
export type THeartbeat = z.infer<typeof ZHeartbeat>;
/** One line as the agent logs it; batches travel as columns (toSeqColumns). */
export type TLogLine = SeqLogLine;
export type TLogBatch = z.infer<typeof ZLogBatch>;
export type TProgress = z.infer<typeof ZProgress>;
export type TOutputs = z.infer<typeof ZOutputs>;
export type TResult = z.infer<typeof ZResult>;

export type RegisterReply = { agentId: string; name: string; heartbeatSeconds: number; timeoutSeconds: number };
export type HeartbeatReply = { cancel: string[] };

/** A claimed conversion, as an agent receives it. */
export type ClaimedJob = {
  id: string;
  number: number;
  attempt: number;
  guestName: string;
  dryRun: boolean;
  request: unknown;
  plan: unknown;
  /** Outputs a previous, interrupted attempt left: removed before this attempt writes. */
  cleanup: string[];
  /** The configuration layers (the core's ConfigFile list) at the revisions the conversion recorded. */
  config?: unknown;
  /** Why the configuration could not be given (e.g. a layer deleted since): the attempt fails with it. */
  configError?: string | undefined;
};
export type ClaimReply = { job: ClaimedJob | null };
