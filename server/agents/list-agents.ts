// The Agents page's data: each agent with its heartbeat age, capabilities and running
// conversions, and the queued conversions no connected agent can run (with the reason).
import type { Db } from "../db/client.ts";
import { storedCapabilities, type AgentCapabilities } from "./capabilities.ts";
import { whyUnclaimable } from "./matching.ts";
import { agentTimeoutSeconds, heartbeatSeconds } from "./settings.ts";

export type AgentState = "connected" | "late" | "silent";

export type AgentListItem = {
  id: string;
  name: string;
  kind: string;
  hostname: string;
  version: string;
  concurrency: number;
  tokenName: string | null;
  registeredAt: Date;
  lastHeartbeatAt: Date | null;
  /** Seconds since the last heartbeat (null: never). */
  silentSeconds: number | null;
  /** late: missed a couple of heartbeats; silent: past the timeout (its conversions were interrupted). */
  state: AgentState;
  capabilities: AgentCapabilities | undefined;
  running: { id: string; number: number; guestName: string; attempt: number; progress: unknown; startedAt: Date | null; cancelRequested: boolean }[];
};

export async function listAgents(client: Db, now = new Date()): Promise<AgentListItem[]> {
  const timeout = agentTimeoutSeconds();
  const lateAfter = heartbeatSeconds() * 3;
  const rows = await client.agent.findMany({
    where: { retiredAt: null },
    orderBy: [{ kind: "asc" }, { name: "asc" }],
    include: {
      token: { select: { name: true } },
      conversions: {
        where: { status: "running" },
        orderBy: { startedAt: "asc" },
        select: { id: true, number: true, guestName: true, attempt: true, progress: true, startedAt: true, cancelRequested: true },
      },
    },
  });
  return rows.map((r) => {
    const silentSeconds = r.lastHeartbeatAt ? Math.max(0, Math.round((now.getTime() - r.lastHeartbeatAt.getTime()) / 1000)) : null;
    const state: AgentState = silentSeconds === null || silentSeconds > timeout ? "silent" : silentSeconds > lateAfter ? "late" : "connected";
    return {
      id: r.id,
      name: r.name,
      kind: r.kind,
      hostname: r.hostname,
      version: r.version,
      concurrency: r.concurrency,
      tokenName: r.token?.name ?? null,
      registeredAt: r.registeredAt,
      lastHeartbeatAt: r.lastHeartbeatAt,
      silentSeconds,
      state,
      capabilities: storedCapabilities(r.capabilities),
      running: r.conversions,
    };
  });
}

export type BlockedConversion = { id: string; number: number; guestName: string; createdAt: Date; reason: string };

/** Queued conversions that no connected agent can run, each with the sentence saying why. */
export async function listBlockedConversions(client: Db, now = new Date()): Promise<BlockedConversion[]> {
  const [queued, agents] = await Promise.all([
    client.conversion.findMany({ where: { status: "queued" }, orderBy: { createdAt: "asc" }, take: 200, select: { id: true, number: true, guestName: true, createdAt: true, request: true, plan: true, dryRun: true } }),
    client.agent.findMany({ where: { retiredAt: null }, select: { name: true, capabilities: true, lastHeartbeatAt: true, retiredAt: true } }),
  ]);
  const views = agents.map((a) => ({ ...a, capabilities: storedCapabilities(a.capabilities) }));
  const out: BlockedConversion[] = [];
  for (const c of queued) {
    const reason = whyUnclaimable(c, views, { now, timeoutSeconds: agentTimeoutSeconds() });
    if (reason) out.push({ id: c.id, number: c.number, guestName: c.guestName, createdAt: c.createdAt, reason });
  }
  return out;
}
