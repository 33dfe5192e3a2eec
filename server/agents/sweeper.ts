// The heartbeat sweeper: an agent silent past the timeout has its running conversions marked
// interrupted, with an error saying which agent and for how long. What they created stays
// recorded in `outputs`; the next attempt removes it before copying (see runtime.ts), and the
// agent itself wipes its scratch directory when it comes back.
import type { Db } from "../db/client.ts";
import { logger } from "../log.ts";
import { publishConversionUpdate } from "./publish.ts";
import { interruptRunning } from "./queue.ts";
import { agentTimeoutSeconds, TX } from "./settings.ts";

const log = logger("agents");

export type SweepResult = { agent: string; conversions: string[] }[];

export async function sweepSilentAgents(client: Db, options: { timeoutSeconds?: number; now?: Date } = {}): Promise<SweepResult> {
  const timeout = options.timeoutSeconds ?? agentTimeoutSeconds();
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - timeout * 1000);
  const silent = await client.agent.findMany({
    where: { OR: [{ lastHeartbeatAt: { lt: cutoff } }, { lastHeartbeatAt: null }], conversions: { some: { status: "running" } } },
  });
  const out: SweepResult = [];
  for (const agent of silent) {
    const silentFor = agent.lastHeartbeatAt ? Math.round((now.getTime() - agent.lastHeartbeatAt.getTime()) / 1000) : undefined;
    const error =
      `The agent ${agent.name} stopped sending heartbeats (silent for ${silentFor ?? "?"} s; the timeout is ${timeout} s): ` +
      "this attempt was interrupted. Retry the conversion to run it again; what the attempt created is removed first.";
    const interrupted = await client.$transaction(async (tx) => {
      // Re-checked inside the transaction: a heartbeat that arrived meanwhile wins.
      const fresh = await tx.agent.findUnique({ where: { id: agent.id }, select: { lastHeartbeatAt: true } });
      if (fresh?.lastHeartbeatAt && fresh.lastHeartbeatAt >= cutoff) return [];
      return interruptRunning(tx, { agentId: agent.id }, error);
    }, TX);
    if (interrupted.length === 0) continue;
    log.warn(`agent ${agent.name} is silent: interrupted ${interrupted.length} conversion(s)`);
    publishConversionUpdate({ type: "agent", agentId: agent.id, name: agent.name, event: "silent" });
    for (const c of interrupted) publishConversionUpdate({ type: "status", conversionId: c.id, status: "interrupted", attempt: c.attempt, agentId: agent.id, errorCode: c.errorCode, error: c.error });
    out.push({ agent: agent.name, conversions: interrupted.map((c) => c.id) });
  }
  return out;
}

/** Sweeps every quarter of the timeout (at least once a second); stop() waits for a sweep in flight. */
export function startSweeper(client: Db, options: { timeoutSeconds?: number } = {}): { stop: () => Promise<void> } {
  const timeout = options.timeoutSeconds ?? agentTimeoutSeconds();
  let inFlight: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    inFlight = sweepSilentAgents(client, { timeoutSeconds: timeout }).catch((e: unknown) => log.warn("heartbeat sweep failed", { error: String(e) }));
  }, Math.max(1000, (timeout * 1000) / 4));
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await inFlight;
    },
  };
}
