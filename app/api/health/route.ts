// Liveness and readiness for operators and load balancers: the version and whether the database
// answers. No session needed; reveals nothing else.
import { checkHealth } from "@/server/health";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const health = await checkHealth();
  return Response.json(health, { status: health.database.reachable ? 200 : 503, headers: { "cache-control": "no-store" } });
}
