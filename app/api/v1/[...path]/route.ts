// Every /api/v1 route goes through the one dispatcher over the route table (server/api).
import { handleApiRequest } from "@/server/api/handle";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ path: string[] }> };

async function handle(request: Request, context: Context): Promise<Response> {
  return handleApiRequest(request, (await context.params).path);
}

export const GET = handle;
export const POST = handle;
export const PUT = handle;
export const DELETE = handle;
export const PATCH = handle;
