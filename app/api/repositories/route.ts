// GET /api/repositories: every repository with its file count and total size.
import { actorFromHeaders, authorize } from "@/server/auth/actor";
import { db } from "@/server/db/client";
import { errorResponse } from "@/server/http/route";
import { listRepositories } from "@/server/software/list-repositories";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  try {
    authorize(await actorFromHeaders(request.headers), "software:read");
    const repositories = await listRepositories(db());
    return Response.json({ repositories });
  } catch (e) {
    return errorResponse(e);
  }
}
