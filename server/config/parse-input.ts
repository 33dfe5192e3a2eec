// zod at the boundary of every configuration operation: a failure is INVALID_INPUT whose
// fieldErrors are keyed by form field names ("name", "deps.1.minversion").
import type { z } from "zod";
import { AppError } from "../errors.ts";

export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "_form";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fieldErrors = fieldErrorsOf(parsed.error);
  const message = Object.entries(fieldErrors)
    .map(([field, messages]) => (field === "_form" ? messages.join(" ") : `${field}: ${messages.join(" ")}`))
    .join("\n");
  throw new AppError("INVALID_INPUT", message, fieldErrors);
}
