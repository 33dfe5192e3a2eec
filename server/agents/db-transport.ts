// The embedded agent's transport: the same service functions the agent routes call, inside
// the console process (no HTTP, no token).
import type { Db } from "../db/client.ts";
import { isAppError } from "../errors.ts";
import { heartbeatAgent, registerAgent } from "./agents.ts";
import type { THeartbeat, TLogBatch, TOutputs, TProgress, TRegister, TResult } from "./protocol.ts";
import { claimConversion, finishConversion } from "./queue.ts";
import { appendLogs, recordOutputs, recordProgress } from "./reports.ts";
import { AgentRequestError, type AgentTransport } from "./transport.ts";

function fromAppError(e: unknown): never {
  if (!isAppError(e)) throw new AgentRequestError("transient", e instanceof Error ? e.message : String(e));
  const kind = e.code === "CONFLICT" ? "stale" : e.code === "UNAUTHENTICATED" || e.code === "FORBIDDEN" || e.code === "NOT_FOUND" ? "auth" : e.code === "UNAVAILABLE" ? "transient" : "invalid";
  throw new AgentRequestError(kind, e.message, e.status);
}

/** The embedded agent's transport. */
export function databaseTransport(client: Db): AgentTransport {
  const caller = { kind: "embedded" } as const;
  const wrap = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => (...args: A) => fn(...args).catch(fromAppError);
  return {
    describe: "the console's database",
    register: wrap((input: TRegister) => registerAgent(client, input, caller)),
    heartbeat: wrap((input: THeartbeat) => heartbeatAgent(client, input, caller)),
    claim: wrap((agentId: string) => claimConversion(client, { id: agentId })),
    logs: wrap(async (batch: TLogBatch) => void (await appendLogs(client, batch))),
    progress: wrap((input: TProgress) => recordProgress(client, input)),
    outputs: wrap((input: TOutputs) => recordOutputs(client, input)),
    result: wrap((input: TResult) => finishConversion(client, input)),
  };
}
