// GET /api/audit/export?format=csv|json&from=YYYY-MM-DD&to=YYYY-MM-DD: the audit log of those
// UTC days as an attachment, streamed. Admins only (audit:read); the export itself is recorded.
import { actorFromHeaders, authorize } from "@/server/auth/actor";
import { exportAudit, exportFileName, parseAuditExport } from "@/server/audit/export-audit";
import { recordAudit } from "@/server/audit/record-audit";
import { db } from "@/server/db/client";
import { errorResponse } from "@/server/http/route";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  try {
    const actor = authorize(await actorFromHeaders(request.headers), "audit:read");
    const q = new URL(request.url).searchParams;
    const input = parseAuditExport({ format: q.get("format") ?? undefined, from: q.get("from") ?? undefined, to: q.get("to") ?? undefined });
    await db().$transaction((tx) => recordAudit(tx, actor, { action: "audit.export", targetType: "audit", after: input }));
    const chunks = exportAudit(db(), input);
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      async cancel() {
        await chunks.return(undefined);
      },
    });
    return new Response(body, {
      headers: {
        "content-type": input.format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="${exportFileName(input)}"`,
        "cache-control": "private, no-store",
      },
    });
  } catch (e) {
    return errorResponse(e);
  }
}
