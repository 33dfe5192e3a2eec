// POST /api/agent/claim: the agent protocol (server/agents/api.ts), Bearer agent token.
import { db } from "@/server/db/client";
import { handleAgentRequest } from "@/server/agents/api";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  return handleAgentRequest(db(), "claim", request);
}
