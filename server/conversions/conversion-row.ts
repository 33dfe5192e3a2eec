// A conversion row as the console shows it: JSON columns read into their types once, here.
import type { ConversionPlan } from "../v2v/conversion-plan.ts";
import type { TConversionRequest } from "./request.ts";
import { isConversionStatus, type ConversionStatus } from "./status.ts";

export type ConversionProgress = { stage: string; done: number; total: number; unit: string; item?: string | undefined };

export type ConversionRow = {
  id: string;
  number: number;
  guestName: string;
  status: ConversionStatus;
  dryRun: boolean;
  request: TConversionRequest;
  profile: string | null;
  configRevisions: { layerId?: string; file: string; revision?: number }[] | null;
  plan: ConversionPlan | null;
  result: unknown;
  errorCode: string | null;
  error: string | null;
  progress: ConversionProgress | null;
  agentId: string | null;
  attempt: number;
  cancelRequested: boolean;
  createdById: string | null;
  createdByEmail: string;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
};

type Raw = Omit<ConversionRow, "status" | "request" | "configRevisions" | "plan" | "progress"> & {
  status: string;
  request: unknown;
  configRevisions: unknown;
  plan: unknown;
  progress: unknown;
};

function progressOf(value: unknown): ConversionProgress | null {
  if (!value || typeof value !== "object") return null;
  const p = value as Record<string, unknown>;
  if (typeof p.done !== "number" || typeof p.total !== "number") return null;
  return { stage: String(p.stage ?? ""), done: p.done, total: p.total, unit: String(p.unit ?? ""), item: typeof p.item === "string" ? p.item : undefined };
}

export function readConversion(raw: Raw): ConversionRow {
  return {
    ...raw,
    // The database's check constraint keeps status to the known values.
    status: isConversionStatus(raw.status) ? raw.status : "failed",
    request: raw.request as TConversionRequest,
    configRevisions: Array.isArray(raw.configRevisions) ? (raw.configRevisions as ConversionRow["configRevisions"]) : null,
    plan: raw.plan && typeof raw.plan === "object" ? (raw.plan as ConversionPlan) : null,
    progress: progressOf(raw.progress),
  };
}
