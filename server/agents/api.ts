// The agent routes' logic, free of Next: authenticate the Bearer token, parse the body (strict
// zod; the error names each bad field), call the service, answer JSON. app/api/agent/*/route.ts
// are one line each over this; tests serve it from a plain node:http server.
import type { z } from "zod";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { errorResponse } from "../http/route.ts";
import { heartbeatAgent, registerAgent, requireAgent, type AgentCaller } from "./agents.ts";
import { ZClaim, ZHeartbeat, ZLogBatch, ZOutputs, ZProgress, ZRegister, ZResult } from "./protocol.ts";
import { claimConversion, finishConversion } from "./queue.ts";
import { appendLogs, recordOutputs, recordProgress } from "./reports.ts";
import { authenticateAgentToken } from "./tokens.ts";

export const AGENT_OPERATIONS = ["register", "heartbeat", "claim", "logs", "progress", "outputs", "result"] as const;
export type AgentOperation = (typeof AGENT_OPERATIONS)[number];

function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) (out[issue.path.join(".") || "(body)"] ??= []).push(issue.message);
  return out;
}

async function parseBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  const text = await request.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("INVALID_INPUT", "The request body is not JSON.", { "(body)": ["not JSON"] });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const fields = fieldErrors(parsed.error);
    const list = Object.entries(fields).map(([k, v]) => `${k}: ${v.join(", ")}`).join("; ");
    throw new AppError("INVALID_INPUT", `Invalid agent request: ${list}`, fields);
  }
  return parsed.data;
}

type Handler = (client: Db, caller: AgentCaller, request: Request) => Promise<unknown>;

const handlers: Record<AgentOperation, Handler> = {
  register: async (client, caller, request) => registerAgent(client, await parseBody(request, ZRegister), caller),
  heartbeat: async (client, caller, request) => heartbeatAgent(client, await parseBody(request, ZHeartbeat), caller),
  claim: async (client, caller, request) => {
    const { agentId } = await parseBody(request, ZClaim);
    await requireAgent(client, agentId, caller);
    return { job: await claimConversion(client, { id: agentId }) };
  },
  logs: async (client, caller, request) => {
    const body = await parseBody(request, ZLogBatch);
    await requireAgent(client, body.agentId, caller);
    return appendLogs(client, body);
  },
  progress: async (client, caller, request) => {
    const body = await parseBody(request, ZProgress);
    await requireAgent(client, body.agentId, caller);
    await recordProgress(client, body);
    return { ok: true };
  },
  outputs: async (client, caller, request) => {
    const body = await parseBody(request, ZOutputs);
    await requireAgent(client, body.agentId, caller);
    await recordOutputs(client, body);
    return { ok: true };
  },
  result: async (client, caller, request) => {
    const body = await parseBody(request, ZResult);
    await requireAgent(client, body.agentId, caller);
    await finishConversion(client, body);
    return { ok: true };
  },
};

/** Answers one agent request (POST with a JSON body and a Bearer token). */
export async function handleAgentRequest(client: Db, operation: AgentOperation, request: Request): Promise<Response> {
  try {
    const token = await authenticateAgentToken(client, request.headers.get("authorization"));
    return Response.json(await handlers[operation](client, { kind: "remote", tokenId: token.id }, request));
  } catch (e) {
    return errorResponse(e);
  }
}
