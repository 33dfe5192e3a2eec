// GET /api/conversions/:id/log: the whole log of a conversion as text, every attempt, streamed
// from Postgres a page at a time (viewers and up).
import { actorFromHeaders, authorize } from "@/server/auth/actor";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { errorResponse } from "@/server/http/route";
import { formatLogLine, streamLog } from "@/server/realtime/log-store";

export const dynamic = "force-dynamic";

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    authorize(await actorFromHeaders(request.headers), "conversion:read");
    const { id } = await context.params;
    const row = await db().conversion.findUnique({ where: { id }, select: { id: true, number: true, guestName: true } });
    if (!row) throw new AppError("NOT_FOUND", "That conversion does not exist.");
    const encoder = new TextEncoder();
    const pages = streamLog(db(), row.id);
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await pages.next();
        if (next.done) return controller.close();
        controller.enqueue(encoder.encode(next.value.map((l) => `${formatLogLine(l)}\n`).join("")));
      },
      async cancel() {
        await pages.return(undefined);
      },
    });
    const file = `conversion-${row.number}-${row.guestName.replace(/[^A-Za-z0-9._-]/g, "_")}.log`;
    return new Response(body, { headers: { "content-type": "text/plain; charset=utf-8", "content-disposition": `attachment; filename="${file}"`, "cache-control": "no-store" } });
  } catch (e) {
    return errorResponse(e);
  }
}
