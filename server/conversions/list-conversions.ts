// The conversions list: newest first, filtered by status (and guest name), paged.
import { z } from "zod";
import type { Db } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";
import { readConversion, type ConversionProgress } from "./conversion-row.ts";
import { describeOutput, describeSource } from "./request.ts";
import { CONVERSION_STATUSES, type ConversionStatus } from "./status.ts";

export const ZConversionFilter = z.object({
  status: z.preprocess((v) => (typeof v === "string" ? v.split(",").filter(Boolean) : v), z.array(z.enum(CONVERSION_STATUSES)).optional()),
  guest: z.string().trim().max(200).optional().transform((v) => v || undefined),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type TConversionFilter = z.input<typeof ZConversionFilter>;

export type ConversionSummary = {
  id: string;
  number: number;
  guestName: string;
  status: ConversionStatus;
  dryRun: boolean;
  cancelRequested: boolean;
  source: string;
  output: string;
  profile: string | null;
  agent: string | null;
  createdByEmail: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  progress: ConversionProgress | null;
  error: string | null;
};

export type ConversionPage = { items: ConversionSummary[]; total: number; page: number; pageSize: number; counts: Partial<Record<ConversionStatus, number>> };

export async function listConversions(client: Db, raw: TConversionFilter = {}): Promise<ConversionPage> {
  const filter = ZConversionFilter.parse(raw);
  const where: Prisma.ConversionWhereInput = {};
  if (filter.status?.length) where.status = { in: filter.status };
  if (filter.guest) where.guestName = { contains: filter.guest, mode: "insensitive" };
  const [rows, total, grouped] = await Promise.all([
    client.conversion.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { number: "desc" }],
      skip: (filter.page - 1) * filter.pageSize,
      take: filter.pageSize,
      include: { agent: { select: { name: true } } },
    }),
    client.conversion.count({ where }),
    client.conversion.groupBy({ by: ["status"], _count: { _all: true }, where: filter.guest ? { guestName: where.guestName } : {} }),
  ]);
  const counts: ConversionPage["counts"] = {};
  for (const g of grouped) counts[g.status as ConversionStatus] = g._count._all;
  const items = rows.map(({ agent, ...raw }) => {
    const row = readConversion(raw);
    return {
      id: row.id,
      number: row.number,
      guestName: row.guestName,
      status: row.status,
      dryRun: row.dryRun,
      cancelRequested: row.cancelRequested,
      source: describeSource(row.request.source),
      output: describeOutput(row.request.output, row.profile),
      profile: row.profile,
      agent: agent?.name ?? null,
      createdByEmail: row.createdByEmail,
      createdAt: row.createdAt,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
      progress: row.progress,
      error: row.error,
    };
  });
  return { items, total, page: filter.page, pageSize: filter.pageSize, counts };
}
