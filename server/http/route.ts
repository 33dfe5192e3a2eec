// Route handlers answer errors in one JSON shape: { error: { code, message, fields? } }.
import { isAppError } from "../errors.ts";
import { logger } from "../log.ts";

const log = logger("api");

export function errorResponse(e: unknown): Response {
  if (isAppError(e)) {
    return Response.json({ error: { code: e.code, message: e.message, ...(e.fieldErrors ? { fields: e.fieldErrors } : {}) } }, { status: e.status });
  }
  log.error("route failed", { error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  return Response.json({ error: { code: "INTERNAL", message: "Something went wrong on the server; the console log has the details." } }, { status: 500 });
}
