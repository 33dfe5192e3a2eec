// GET /api/repositories: every repository with its file count and total size.
// POST /api/repositories {name, description?}: creates one (admins).
import { actorFromHeaders, authorize } from "@/server/auth/actor";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { fieldErrorsOf } from "@/server/http/form-action";
import { errorResponse } from "@/server/http/route";
import { createRepository } from "@/server/software/create-repository";
import { listRepositories } from "@/server/software/list-repositories";
import { ZNewRepository } from "@/server/software/schemas";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  try {
    authorize(await actorFromHeaders(request.headers), "software:read");
    return Response.json({ repositories: await listRepositories(db()) });
  } catch (e) {
    return errorResponse(e);
  }
}

export async function POST(request: Request): Promise<Response> {
  try {
    const actor = authorize(await actorFromHeaders(request.headers), "software:write");
    const parsed = ZNewRepository.strict().safeParse(await request.json().catch(() => null));
    if (!parsed.success) throw new AppError("INVALID_INPUT", "Check the fields.", fieldErrorsOf(parsed.error));
    return Response.json({ repository: await createRepository(db(), actor, parsed.data) }, { status: 201 });
  } catch (e) {
    return errorResponse(e);
  }
}
