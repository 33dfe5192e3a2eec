// GET /api/config/layers/[id]/export[?revision=N]: one layer as a virt-v2v.conf attachment named
// by its place in the search order ("01-site.conf"). Any role that reads configuration.
import { stackFileName } from "@/app/(console)/configuration/stack-file-name";
import { actorFromHeaders, authorize } from "@/server/auth/actor";
import { exportLayer } from "@/server/config/export-layer";
import { ZRevisionNumber } from "@/server/config/layer-schemas";
import { listLayers } from "@/server/config/list-layers";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { errorResponse } from "@/server/http/route";
import { confFile } from "../../../conf-file";

export const dynamic = "force-dynamic";

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    authorize(await actorFromHeaders(request.headers), "config:read");
    const { id } = await context.params;
    const raw = new URL(request.url).searchParams.get("revision");
    const revision = raw === null ? undefined : ZRevisionNumber.min(1).safeParse(raw);
    if (revision && !revision.success) throw new AppError("INVALID_INPUT", "The revision is a number from 1.", { revision: ["The revision is a number from 1."] });
    const layers = await listLayers(db());
    const index = layers.findIndex((l) => l.id === id);
    if (index === -1) throw new AppError("NOT_FOUND", "That layer does not exist (it may have been deleted).");
    const text = await exportLayer(db(), id, revision?.data);
    return confFile(text, stackFileName(index, layers.length, layers[index]!.name));
  } catch (e) {
    return errorResponse(e);
  }
}
