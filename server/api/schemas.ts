// What /api/v1 accepts and answers, as zod schemas: the route table validates with them and the
// OpenAPI document is generated from them (z.toJSONSchema), so the two cannot drift apart.
// Request bodies are checked here for shape; the conversions store then applies virt-v2v's
// rules (domain XML, -n/-b syntax, profiles) with its own messages.
import { z } from "zod";
import { CONVERSION_STATUSES } from "../conversions/status.ts";

export const ZError = z
  .object({
    error: z.object({
      code: z.string().meta({ description: "UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT, TOO_LARGE, INVALID_INPUT, RATE_LIMITED, UNAVAILABLE or INTERNAL" }),
      message: z.string(),
      fields: z.record(z.string(), z.array(z.string())).optional().meta({ description: "Messages per field (dotted path), for INVALID_INPUT" }),
    }),
  });

export const ZId = z.object({ id: z.string().min(1).max(200) });

// Bounds for what a caller may send: a name is a libvirt or file name, a path or URI at most
// PATH_MAX. Objects are strict: an unknown field is refused by name, never silently dropped.
const NAME_MAX = 255;
const PATH_MAX = 4096;
const name = () => z.string().max(NAME_MAX);
const longText = () => z.string().max(PATH_MAX);

/**
 * A documented choice that stays a string here: the conversions store checks the value and
 * answers in virt-v2v's words ("allocation scheme must be sparse or preallocated").
 */
const oneOf = (values: string[], description: string) => z.string().max(64).optional().meta({ enum: values, description });

export const ZConversionInput = z
  .object({
    source: z.discriminatedUnion("method", [
      z.strictObject({
        method: z.literal("libvirtxml"),
        // No length here: the XML guard refuses an oversized document with its own message.
        xml: z.string().meta({ description: "The domain XML text (virsh dumpxml), as -i libvirtxml FILE reads it" }),
        fileName: name().optional(),
        disks: z.record(longText(), longText()).optional().meta({ description: "Disk path in the XML -> its path on the agent host" }),
      }),
      z.strictObject({ method: z.literal("libvirt"), uri: longText().meta({ description: "-ic" }), guest: name() }),
    ]),
    output: z.strictObject({
      method: oneOf(["libvirt", "local", "rhev"], "-o (default libvirt)"),
      uri: longText().optional().meta({ description: "-oc" }),
      storage: longText().optional().meta({ description: "-os: pool, directory or export domain" }),
      format: oneOf(["raw", "qcow2"], "-of"),
      allocation: oneOf(["sparse", "preallocated"], "-oa"),
      name: name().optional().meta({ description: "-on" }),
    }),
    profile: name().optional().meta({ description: "-p" }),
    network: z.array(z.string().max(2 * NAME_MAX + 1)).max(256).optional().meta({ description: "-n values (NAME or IN:OUT)" }),
    bridge: z.array(z.string().max(2 * NAME_MAX + 1)).max(256).optional().meta({ description: "-b values (NAME or IN:OUT)" }),
    dryRun: z.boolean().default(false).meta({ description: "Plan only (ferry plan)" }),
  })
  .strict();

export const ZConversionListQuery = z.object({
  status: z
    .string()
    .max(500)
    .refine((v) => v.split(",").every((x) => x === "" || (CONVERSION_STATUSES as readonly string[]).includes(x)), `Statuses are ${CONVERSION_STATUSES.join(", ")} (comma-separated).`)
    .optional()
    .meta({ description: `Comma-separated: ${CONVERSION_STATUSES.join(", ")}` }),
  guest: name().optional().meta({ description: "Guest name contains" }),
  page: z.coerce.number().int().min(1).optional(),
  pageSize: z.coerce.number().int().min(1).max(200).optional(),
}).strict();

export const ZLogQuery = z.object({
  after: z.coerce.number().int().min(-1).optional().meta({ description: "Lines with seq > after (poll with the last seq seen)" }),
  attempt: z.coerce.number().int().min(0).optional(),
  tail: z.coerce.number().int().min(1).max(5000).optional(),
}).strict();

export const ZRetryInput = z.strictObject({ replan: z.boolean().default(false) });

const utcDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "A day is YYYY-MM-DD.").refine((d) => !Number.isNaN(Date.parse(d)), "Not a calendar day.");

export const ZAuditQuery = z.object({
  actor: z.string().max(320).optional().meta({ description: "E-mail address contains" }),
  action: name().optional(),
  target: name().optional().meta({ description: "TYPE or TYPE:ID" }),
  before: z.string().max(20).regex(/^\d+$/).optional(),
  from: utcDay.optional().meta({ description: "UTC day (YYYY-MM-DD), included" }),
  to: utcDay.optional().meta({ description: "UTC day (YYYY-MM-DD), included" }),
  limit: z.coerce.number().int().min(1).max(200).optional(),
}).strict();

export const ZLayerInput = z.strictObject({
  name: z.string().min(1).max(100),
  description: z.string().max(500).optional(),
  repositoryId: z.string().max(200).optional().meta({ description: "A software repository the layer's relative app paths resolve in" }),
});
export const ZLayerImportInput = z.strictObject({
  baseRevision: z.number().int().min(0).meta({ description: "The layer revision the text replaces (refused with a conflict when someone saved since)" }),
  text: z.string().min(1).meta({ description: "A whole virt-v2v.conf document; it becomes the layer's new revision" }),
  fileName: z.string().max(255).optional(),
});

export const ZRepositoryInput = z.strictObject({ name: z.string().min(1).max(100), description: z.string().max(500).optional() });
export const ZFileQuery = z.strictObject({ path: z.string().min(1).meta({ description: "Path inside the repository, e.g. rhel/5/kernel.rpm" }) });

export const ZTokenInput = z
  .strictObject({
    name: z.string().min(1).max(100),
    expiresInDays: z.number().int().min(1).max(366).default(30),
    readOnly: z.boolean().default(false).meta({ description: "Only GET requests" }),
  });

const ZProgress = z.object({ stage: z.string(), done: z.number(), total: z.number(), unit: z.string(), item: z.string().optional() }).nullable();
const ZDate = z.string().meta({ format: "date-time" });

export const ZConversion = z
  .object({
    id: z.string(),
    number: z.number().int(),
    guestName: z.string(),
    status: z.enum(CONVERSION_STATUSES),
    dryRun: z.boolean(),
    profile: z.string().nullable(),
    attempt: z.number().int(),
    cancelRequested: z.boolean(),
    progress: ZProgress,
    error: z.string().nullable(),
    errorCode: z.string().nullable().optional(),
    createdByEmail: z.string(),
    createdAt: ZDate,
    startedAt: ZDate.nullable(),
    finishedAt: ZDate.nullable(),
  })
  .loose();

export const ZLogLine = z.object({ seq: z.number().int(), at: ZDate, level: z.enum(["debug", "info", "warn", "error"]), stage: z.string(), message: z.string() });
export const ZLogPage = z.object({ status: z.enum(CONVERSION_STATUSES), attempt: z.number().int(), progress: ZProgress, error: z.string().nullable(), lines: z.array(ZLogLine) });

export const ZApiToken = z
  .object({ id: z.string(), name: z.string(), prefix: z.string(), readOnly: z.boolean(), expiresAt: ZDate, createdAt: ZDate, lastUsedAt: ZDate.nullable(), revokedAt: ZDate.nullable() });

/** Any JSON object (responses documented by their description rather than a full schema). */
export const ZObject = z.object({}).loose();
