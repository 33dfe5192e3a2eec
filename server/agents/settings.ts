// Agent timings from the environment: how often agents send heartbeats and how long the
// console waits before it treats a silent agent as gone.
function seconds(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number of seconds, not ${JSON.stringify(raw)}`);
  return n;
}

/** FERRY_AGENT_TIMEOUT_SECONDS (default 60): silence after which an agent's conversions are interrupted. */
export function agentTimeoutSeconds(): number {
  return seconds("FERRY_AGENT_TIMEOUT_SECONDS", 60);
}

/** FERRY_AGENT_HEARTBEAT_SECONDS (default 3): also how fast a cancel reaches a running conversion. */
export function heartbeatSeconds(): number {
  return seconds("FERRY_AGENT_HEARTBEAT_SECONDS", 3);
}

/**
 * Interactive transaction limits for the agent service: Prisma's defaults (2 s to get a
 * connection, 5 s to finish) are too tight on a loaded two-core host with agents polling. Every
 * client from createPrisma has them by default now; the agent service still names them.
 */
export { TX_OPTIONS as TX } from "../db/tx-options.ts";
