// How an agent runtime reaches the console: over HTTP with a Bearer token (`ferry agent` on a
// conversion host, which never holds database credentials and never loads the database
// client), or directly through the service functions (db-transport.ts, the embedded agent).
import type { AgentOperation } from "./api.ts";
import type { ClaimedJob, HeartbeatReply, RegisterReply, THeartbeat, TLogBatch, TOutputs, TProgress, TRegister, TResult } from "./protocol.ts";

export type AgentTransport = {
  /** Where the agent reports to, for its own log lines. */
  describe: string;
  register(input: TRegister): Promise<RegisterReply>;
  heartbeat(input: THeartbeat): Promise<HeartbeatReply>;
  claim(agentId: string): Promise<ClaimedJob | null>;
  logs(batch: TLogBatch): Promise<void>;
  progress(input: TProgress): Promise<void>;
  outputs(input: TOutputs): Promise<void>;
  result(input: TResult): Promise<void>;
};

/**
 * A refused or failed request, classified for the runtime: `stale` (the attempt is no longer
 * this agent's: stop reporting it), `auth` (token revoked, agent retired: stop the agent),
 * `transient` (network, 5xx: try again later), `invalid` (a bug: the body was refused).
 */
export class AgentRequestError extends Error {
  readonly kind: "stale" | "auth" | "transient" | "invalid";
  readonly status: number | undefined;
  constructor(kind: AgentRequestError["kind"], message: string, status?: number) {
    super(message);
    this.name = "AgentRequestError";
    this.kind = kind;
    this.status = status;
  }
}

const REQUEST_TIMEOUT_MS = 30_000;

/** `ferry agent`'s transport: POST /api/agent/OPERATION with the token. */
export function httpTransport(server: string, token: string): AgentTransport {
  const base = server.replace(/\/+$/, "");
  const post = async <R>(operation: AgentOperation, body: unknown): Promise<R> => {
    let res: Response;
    try {
      res = await fetch(`${base}/api/agent/${operation}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (e) {
      throw new AgentRequestError("transient", `cannot reach ${base}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const reply = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    if (res.ok) return reply as R;
    const message = reply?.error?.message ?? `HTTP ${res.status} from ${base}/api/agent/${operation}`;
    const kind = res.status === 409 ? "stale" : res.status === 401 || res.status === 403 || res.status === 404 ? "auth" : res.status >= 500 ? "transient" : "invalid";
    throw new AgentRequestError(kind, message, res.status);
  };
  return {
    describe: base,
    register: (input) => post("register", input),
    heartbeat: (input) => post("heartbeat", input),
    claim: async (agentId) => (await post<{ job: ClaimedJob | null }>("claim", { agentId })).job,
    logs: async (batch) => void (await post("logs", batch)),
    progress: async (input) => void (await post("progress", input)),
    outputs: async (input) => void (await post("outputs", input)),
    result: async (input) => void (await post("result", input)),
  };
}
