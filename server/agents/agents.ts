// Agents joining and staying alive: register (a restart interrupts what the agent's previous
// process was running), heartbeats (fresh capabilities in, cancel requests out), and who may
// speak for an agent (its token, or the console itself for the embedded one).
import { randomUUID } from "node:crypto";
import { recordAudit, type AuditActor } from "../audit/record-audit.ts";
import type { Db, Tx } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";
import { AppError } from "../errors.ts";
import type { HeartbeatReply, RegisterReply, THeartbeat, TRegister } from "./protocol.ts";
import { publishConversionUpdate } from "./publish.ts";
import { interruptRunning, type Interrupted } from "./queue.ts";
import { agentTimeoutSeconds, heartbeatSeconds, TX } from "./settings.ts";

/** Who speaks: the console's own embedded agent, or a remote one holding a token. */
export type AgentCaller = { kind: "embedded" } | { kind: "remote"; tokenId: string };

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;

export async function requireAgent(tx: Tx | Db, agentId: string, caller: AgentCaller) {
  const agent = await tx.agent.findUnique({ where: { id: agentId } });
  if (!agent) throw new AppError("NOT_FOUND", `No agent has the id ${agentId}: register first.`);
  const mine = caller.kind === "embedded" ? agent.kind === "embedded" : agent.kind === "remote" && agent.tokenId === caller.tokenId;
  if (!mine) throw new AppError("FORBIDDEN", `The agent ${agent.name} registered with another token.`);
  if (agent.retiredAt) throw new AppError("FORBIDDEN", `The agent ${agent.name} was retired by an admin.`);
  return agent;
}

export async function registerAgent(client: Db, input: TRegister, caller: AgentCaller): Promise<RegisterReply> {
  const kind = caller.kind;
  const tokenId = caller.kind === "remote" ? caller.tokenId : null;
  const now = new Date();
  const data = { hostname: input.hostname, version: input.version, concurrency: input.concurrency, capabilities: json(input.capabilities), lastHeartbeatAt: now };
  const { agent, interrupted } = await client.$transaction(async (tx) => {
    const existing = await tx.agent.findUnique({ where: { name: input.name }, include: { token: true } });
    if (!existing) {
      return { agent: await tx.agent.create({ data: { id: randomUUID(), name: input.name, kind, tokenId, registeredAt: now, ...data } }), interrupted: [] as Interrupted[] };
    }
    if (existing.retiredAt) throw new AppError("FORBIDDEN", `The agent ${existing.name} was retired by an admin; register under another name.`);
    const tokenStillValid = existing.token !== null && existing.token.revokedAt === null;
    if (existing.kind !== kind || (kind === "remote" && existing.tokenId !== tokenId && tokenStillValid)) {
      throw new AppError("CONFLICT", `An agent named ${input.name} is already registered with another token; choose another --name.`, { name: ["already in use"] });
    }
    // A registering process is running nothing: what its name was running is gone with the
    // previous process (killed, host rebooted).
    const interrupted = await interruptRunning(tx, { agentId: existing.id }, `The agent ${existing.name} restarted while running this conversion (attempt interrupted).`);
    return { agent: await tx.agent.update({ where: { id: existing.id }, data: { ...data, tokenId, registeredAt: now } }), interrupted };
  }, TX);
  for (const c of interrupted) publishConversionUpdate({ type: "status", conversionId: c.id, status: "interrupted", attempt: c.attempt, agentId: agent.id, errorCode: c.errorCode, error: c.error });
  publishConversionUpdate({ type: "agent", agentId: agent.id, name: agent.name, event: "registered" });
  return { agentId: agent.id, name: agent.name, heartbeatSeconds: heartbeatSeconds(), timeoutSeconds: agentTimeoutSeconds() };
}

/**
 * Records a heartbeat. The reply lists the conversions the agent should stop: those whose
 * cancel was requested, and those it reports running that are no longer its (interrupted
 * while it was silent, or retried elsewhere).
 */
export async function heartbeatAgent(client: Db, input: THeartbeat, caller: AgentCaller): Promise<HeartbeatReply> {
  const agent = await requireAgent(client, input.agentId, caller);
  await client.agent.update({
    where: { id: agent.id },
    data: { lastHeartbeatAt: new Date(), ...(input.capabilities ? { capabilities: json(input.capabilities), concurrency: input.capabilities.concurrency } : {}) },
  });
  if (input.running.length === 0) return { cancel: [] };
  const rows = await client.conversion.findMany({ where: { id: { in: input.running } }, select: { id: true, status: true, agentId: true, cancelRequested: true } });
  const stillMine = new Set(rows.filter((r) => r.status === "running" && r.agentId === agent.id && !r.cancelRequested).map((r) => r.id));
  return { cancel: input.running.filter((id) => !stillMine.has(id)) };
}

/**
 * An admin retires an agent that is gone for good: it leaves the Agents page, its heartbeats
 * and registrations are refused, and what it was running is interrupted. Audited.
 */
export async function retireAgent(client: Db, actor: AuditActor, id: string): Promise<{ name: string; interrupted: number }> {
  const out = await client.$transaction(async (tx) => {
    const agent = await tx.agent.findUnique({ where: { id } });
    if (!agent) throw new AppError("NOT_FOUND", "There is no such agent.");
    if (agent.retiredAt) throw new AppError("CONFLICT", `The agent ${agent.name} is already retired.`);
    const interrupted = await interruptRunning(tx, { agentId: id }, `The agent ${agent.name} was retired by ${actor.email} while running this conversion.`);
    await tx.agent.update({ where: { id }, data: { retiredAt: new Date() } });
    await recordAudit(tx, actor, { action: "agent.retire", targetType: "agent", targetId: id, before: { name: agent.name, kind: agent.kind, lastHeartbeatAt: agent.lastHeartbeatAt }, after: { retired: true, interrupted: interrupted.map((c) => c.id) } });
    return { name: agent.name, interrupted };
  }, TX);
  for (const c of out.interrupted) publishConversionUpdate({ type: "status", conversionId: c.id, status: "interrupted", attempt: c.attempt, agentId: id, errorCode: c.errorCode, error: c.error });
  return { name: out.name, interrupted: out.interrupted.length };
}
