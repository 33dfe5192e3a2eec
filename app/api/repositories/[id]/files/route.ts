// A repository's files. GET lists them; POST ?path=rel/file.rpm stores the raw request body
// there (streamed to disk, never buffered whole); DELETE ?path= removes one.
import { actorFromHeaders, authorize } from "@/server/auth/actor";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { errorResponse } from "@/server/http/route";
import { deleteFile } from "@/server/software/delete-file";
import { listFiles } from "@/server/software/list-files";
import { ZRepositoryId } from "@/server/software/schemas";
import { uploadFile } from "@/server/software/upload-file";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

async function repositoryIdOf(context: Context): Promise<string> {
  const parsed = ZRepositoryId.safeParse((await context.params).id);
  if (!parsed.success) throw new AppError("NOT_FOUND", "That repository does not exist.");
  return parsed.data;
}

function pathParam(request: Request): string {
  const p = new URL(request.url).searchParams.get("path");
  if (p === null) throw new AppError("INVALID_INPUT", "Say where the file goes: ?path=folder/file.rpm", { path: ["Path is required."] });
  return p;
}

export async function GET(request: Request, context: Context): Promise<Response> {
  try {
    authorize(await actorFromHeaders(request.headers), "software:read");
    return Response.json(await listFiles(db(), await repositoryIdOf(context)));
  } catch (e) {
    return errorResponse(e);
  }
}

export async function POST(request: Request, context: Context): Promise<Response> {
  try {
    const actor = authorize(await actorFromHeaders(request.headers), "software:write");
    const repositoryId = await repositoryIdOf(context);
    const path = pathParam(request);
    if (!request.body) throw new AppError("INVALID_INPUT", "The request has no body: send the file's bytes as the body.");
    const length = request.headers.get("content-length");
    const file = await uploadFile(db(), actor, { repositoryId, path, body: request.body, expectedSize: length === null ? null : Number(length), signal: request.signal });
    return Response.json({ file }, { status: file.replaced ? 200 : 201 });
  } catch (e) {
    return errorResponse(e);
  }
}

export async function DELETE(request: Request, context: Context): Promise<Response> {
  try {
    const actor = authorize(await actorFromHeaders(request.headers), "software:write");
    return Response.json(await deleteFile(db(), actor, { repositoryId: await repositoryIdOf(context), path: pathParam(request) }));
  } catch (e) {
    return errorResponse(e);
  }
}
