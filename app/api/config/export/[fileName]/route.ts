// GET /api/config/export/01-site.conf: one file of the whole stack's export, by the name the
// export page lists (its place in the search order, then the layer's name).
import { actorFromHeaders, authorize } from "@/server/auth/actor";
import { exportStack } from "@/server/config/export-stack";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { errorResponse } from "@/server/http/route";
import { confFile } from "../../conf-file";

export const dynamic = "force-dynamic";

export async function GET(request: Request, context: { params: Promise<{ fileName: string }> }): Promise<Response> {
  try {
    authorize(await actorFromHeaders(request.headers), "config:read");
    const { fileName } = await context.params;
    const file = (await exportStack(db())).find((f) => f.fileName === fileName);
    if (!file) throw new AppError("NOT_FOUND", `There is no ${fileName} in the stack now (a layer may have been renamed, moved or deleted): reload the export page.`);
    return confFile(file.text, file.fileName);
  } catch (e) {
    return errorResponse(e);
  }
}
