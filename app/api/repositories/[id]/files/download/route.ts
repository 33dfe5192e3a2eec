// GET /api/repositories/[id]/files/download?path=...: the file, streamed, with its length.
import { Readable } from "node:stream";
import { actorFromHeaders, authorize } from "@/server/auth/actor";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { errorResponse } from "@/server/http/route";
import { openFile } from "@/server/software/open-file";
import { ZRepositoryId } from "@/server/software/schemas";

export const dynamic = "force-dynamic";

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    authorize(await actorFromHeaders(request.headers), "software:read");
    const id = ZRepositoryId.safeParse((await context.params).id);
    if (!id.success) throw new AppError("NOT_FOUND", "That repository does not exist.");
    const p = new URL(request.url).searchParams.get("path");
    if (p === null) throw new AppError("INVALID_INPUT", "Say which file: ?path=folder/file.rpm", { path: ["Path is required."] });
    const file = await openFile(db(), id.data, p);
    request.signal.addEventListener("abort", () => file.stream.destroy(), { once: true });
    const ascii = file.name.replace(/[^\x20-\x7e]|["\\]/g, "_");
    return new Response(Readable.toWeb(file.stream) as ReadableStream<Uint8Array>, {
      headers: {
        "content-type": "application/octet-stream",
        "content-length": String(file.size),
        "content-disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
        "x-content-sha256": file.sha256,
        "cache-control": "private, no-store",
      },
    });
  } catch (e) {
    return errorResponse(e);
  }
}
