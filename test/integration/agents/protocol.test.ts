// The agent protocol over real HTTP against a real database: tokens (created, audited, hashed,
// revoked -> 401), bodies refused with the field named, idempotent log batches, stale attempts.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readCapabilities } from "../../../server/agents/capabilities.ts";
import { createAgentToken, listAgentTokens, revokeAgentToken } from "../../../server/agents/tokens.ts";
import { claimConversion } from "../../../server/agents/queue.ts";
import { createReporter } from "../../../server/agents/reporter.ts";
import { httpTransport, type AgentTransport } from "../../../server/agents/transport.ts";
import { retireAgent } from "../../../server/agents/agents.ts";
import type { Db } from "../../../server/db/client.ts";
import { toSeqColumns } from "../../../server/log-columns.ts";
import { freshDatabase } from "../db.ts";
import { ADMIN, seedConversion, serveAgentApi, waitFor } from "./helpers.ts";

let prisma: Db;
let api: { url: string; close: () => Promise<void> };
let secret: string;
let tokenId: string;
let capabilities: Awaited<ReturnType<typeof readCapabilities>>;

async function post(op: string, body: unknown, token: string | null = secret): Promise<{ status: number; body: any }> {
  const res = await fetch(`${api.url}/api/agent/${op}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  ({ prisma } = await freshDatabase("agents_protocol"));
  api = await serveAgentApi(prisma);
  const created = await createAgentToken(prisma, ADMIN, { name: "conv-host-1" });
  secret = created.secret;
  tokenId = created.token.id;
  capabilities = await readCapabilities({ scratchDir: "/tmp", concurrency: 2, libvirtUri: "test:///default" });
});
afterAll(async () => {
  await api?.close();
  await prisma?.$disconnect();
});

describe("agent tokens", () => {
  test("the secret is shown once: only its sha256 and a prefix are stored, and the creation is audited", async () => {
    expect(secret).toMatch(/^ferry_agt_[A-Za-z0-9_-]{32}$/);
    const row = await prisma.agentToken.findUniqueOrThrow({ where: { id: tokenId } });
    expect(row.tokenHash).toBe(createHash("sha256").update(secret).digest("hex"));
    expect(secret.startsWith(row.prefix)).toBe(true);
    expect(JSON.stringify(row)).not.toContain(secret);
    const audit = await prisma.auditEvent.findMany({ where: { action: "agent-token.create", targetId: tokenId } });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.after)).not.toContain(secret);
  });

  test("no header, a wrong token: 401 with a JSON error saying what is wrong", async () => {
    const none = await post("claim", { agentId: "x" }, null);
    expect(none.status).toBe(401);
    expect(none.body.error.message).toMatch(/Authorization: Bearer TOKEN/);
    const wrong = await post("claim", { agentId: "x" }, "ferry_agt_not-a-real-token");
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toEqual({ code: "UNAUTHENTICATED", message: "The agent token is not valid (unknown token)." });
  });
});

describe("the protocol", () => {
  let agentId: string;

  test("register: the agent is stored with its capabilities; the token's last use is stamped", async () => {
    const reply = await post("register", { name: "conv-host-1", hostname: "conv-host-1.example", version: "0.1.0", concurrency: 2, capabilities });
    expect(reply.status).toBe(200);
    agentId = reply.body.agentId;
    expect(reply.body).toMatchObject({ name: "conv-host-1", heartbeatSeconds: 3, timeoutSeconds: 60 });
    const agent = await prisma.agent.findUniqueOrThrow({ where: { id: agentId } });
    expect(agent).toMatchObject({ kind: "remote", tokenId, concurrency: 2, hostname: "conv-host-1.example" });
    expect((agent.capabilities as any).tools.find((t: any) => t.name === "qemu-img")).toMatchObject({ found: true, package: "qemu-utils" });
    expect((agent.capabilities as any).libvirt.pools).toContainEqual({ name: "default-pool", active: true });
    expect((await prisma.agentToken.findUniqueOrThrow({ where: { id: tokenId } })).lastUsedAt).not.toBeNull();
  });

  test("the token's last use is stamped at most once a minute: not on every request", async () => {
    const lastUsed = async () => (await prisma.agentToken.findUniqueOrThrow({ where: { id: tokenId } })).lastUsedAt!.getTime();
    const recent = new Date(Date.now() - 30_000);
    await prisma.agentToken.update({ where: { id: tokenId }, data: { lastUsedAt: recent } });
    expect((await post("heartbeat", { agentId, running: [] })).status).toBe(200);
    expect(await lastUsed()).toBe(recent.getTime());
    const old = new Date(Date.now() - 120_000);
    await prisma.agentToken.update({ where: { id: tokenId }, data: { lastUsedAt: old } });
    expect((await post("heartbeat", { agentId, running: [] })).status).toBe(200);
    expect(await lastUsed()).toBeGreaterThan(old.getTime() + 60_000);
  });

  test.each([
    ["register", { name: "bad name!", hostname: "h", version: "1", concurrency: 0, capabilities: {} }, ["name", "concurrency", "capabilities.tools"]],
    ["heartbeat", { agentId: "a", running: "nope", extra: 1 }, ["running", "(body)"]],
    ["logs", { agentId: "a", conversionId: "c", attempt: 0, lines: { seq: [[-1, 1]], at: [["yesterday", 1]], level: [["loud", 1]], stage: [["copy", 1]], message: ["x"] } }, ["attempt", "lines.seq.0.0", "lines.at.0.0", "lines.level.0.0"]],
    // Columns that do not cover every message; one line per object (the old shape); too many lines.
    ["logs", { agentId: "a", conversionId: "c", attempt: 1, lines: { seq: [[0, 2]], at: [[new Date().toISOString(), 1]], level: [["info", 2]], stage: [["copy", 3]], message: ["x", "y"] } }, ["lines.at", "lines.stage"]],
    ["logs", { agentId: "a", conversionId: "c", attempt: 1, lines: [{ seq: 0, at: new Date().toISOString(), level: "info", stage: "copy", message: "x" }] }, ["lines"]],
    ["logs", { agentId: "a", conversionId: "c", attempt: 1, lines: { seq: [[0, 10_001]], at: [[new Date().toISOString(), 10_001]], level: [["info", 10_001]], stage: [["copy", 10_001]], message: Array.from({ length: 10_001 }, () => "x") } }, ["lines.seq.0.1", "lines.message"]],
    ["result", { agentId: "a", conversionId: "c", attempt: 1, status: "failed" }, ["error"]],
    ["progress", { agentId: "a", conversionId: "c", attempt: 1, progress: { stage: "copy", done: 1, total: 2, unit: "parsecs" } }, ["progress.unit"]],
  ])("%s with a bad body: 422 naming every bad field", async (op, body, fields) => {
    const reply = await post(op, body);
    expect(reply.status).toBe(422);
    expect(reply.body.error.code).toBe("INVALID_INPUT");
    for (const f of fields) {
      expect(Object.keys(reply.body.error.fields)).toContain(f);
      expect(reply.body.error.message).toContain(`${f}:`);
    }
  });

  test("a body that is not JSON is refused as such", async () => {
    const reply = await post("claim", "{not json");
    expect(reply).toMatchObject({ status: 422, body: { error: { message: "The request body is not JSON." } } });
  });

  test("claim, logs (a resent batch is stored once), progress, result; a stale attempt is refused", async () => {
    const id = await seedConversion(prisma, { guestName: "rhel54" });
    const claim = await post("claim", { agentId });
    expect(claim.body.job).toMatchObject({ id, attempt: 1, guestName: "rhel54", dryRun: false, plan: null, cleanup: [] });
    const lines = toSeqColumns([0, 1, 2].map((seq) => ({ seq, at: new Date().toISOString(), level: "info" as const, stage: "copy", message: `line ${seq}` })));
    expect((await post("logs", { agentId, conversionId: id, attempt: 1, lines })).body).toEqual({ stored: 3 });
    expect((await post("logs", { agentId, conversionId: id, attempt: 1, lines })).body).toEqual({ stored: 0 });
    expect(await prisma.conversionLog.count({ where: { conversionId: id } })).toBe(3);
    await post("progress", { agentId, conversionId: id, attempt: 1, progress: { stage: "copy", done: 5, total: 10, unit: "bytes", item: "sda" } });
    expect((await prisma.conversion.findUniqueOrThrow({ where: { id } })).progress).toEqual({ stage: "copy", done: 5, total: 10, unit: "bytes", item: "sda" });

    const stale = await post("logs", { agentId, conversionId: id, attempt: 2, lines });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toMatch(/Attempt 2 of conversion .* is not running on this agent/);

    expect((await post("result", { agentId, conversionId: id, attempt: 1, status: "failed", errorCode: "TOOL_FAILED", error: "qemu-img convert failed (exit code 1)" })).status).toBe(200);
    expect(await prisma.conversion.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "failed", errorCode: "TOOL_FAILED", error: "qemu-img convert failed (exit code 1)" });
    // Reported twice (a retried request): the second is refused, the first stands.
    expect((await post("result", { agentId, conversionId: id, attempt: 1, status: "succeeded" })).status).toBe(409);
    expect((await post("logs", { agentId, conversionId: id, attempt: 1, lines })).status).toBe(409);
  });

  test("an attempt's last lines, still on their way when it ends, are stored before its result", async () => {
    // The reporter's timer has sent the last lines and the request is slow (a loaded console);
    // the agent then closes the reporter and sends the result. The result must not overtake the
    // lines: the console refuses lines of an attempt that is over, and they would be lost.
    const id = await seedConversion(prisma, { guestName: "slow-lines" });
    expect((await post("claim", { agentId })).body.job).toMatchObject({ id, attempt: 1 });
    const http = httpTransport(api.url, secret);
    let inFlight = 0;
    const transport: AgentTransport = {
      ...http,
      logs: async (batch) => {
        inFlight++;
        await new Promise((r) => setTimeout(r, 400));
        await http.logs(batch);
      },
    };
    const errors: string[] = [];
    const reporter = createReporter(transport, { agentId, conversionId: id, attempt: 1 }, { onStale: (m) => errors.push(m), onError: (m) => errors.push(m) });
    reporter.log("info", "Copy cancelled: removed the partial volume sda", "copy");
    reporter.log("info", "Cancelled from the console.", "agent");
    await waitFor("the lines' request to leave", () => (inFlight > 0 ? true : undefined));
    await reporter.close();
    await http.result({ agentId, conversionId: id, attempt: 1, status: "cancelled", errorCode: "CANCELLED", error: "Cancelled from the console." });
    const logs = await prisma.conversionLog.findMany({ where: { conversionId: id }, orderBy: { line: "asc" } });
    expect(logs.map((l) => l.message)).toEqual(["Copy cancelled: removed the partial volume sda", "Cancelled from the console."]);
    expect(errors).toEqual([]);
    expect(await prisma.conversion.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "cancelled" });
  });

  test("an agent of another token is refused; so is the agent once its token is revoked", async () => {
    const other = await createAgentToken(prisma, ADMIN, { name: "other" });
    const foreign = await post("heartbeat", { agentId, running: [] }, other.secret);
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.message).toBe("The agent conv-host-1 registered with another token.");

    await revokeAgentToken(prisma, ADMIN, tokenId);
    const refused = await post("heartbeat", { agentId, running: [] });
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toMatch(/^The agent token conv-host-1 was revoked on /);
    expect(await prisma.auditEvent.count({ where: { action: "agent-token.revoke", targetId: tokenId } })).toBe(1);
    const listed = await listAgentTokens(prisma);
    expect(listed.find((t) => t.id === tokenId)).toMatchObject({ name: "conv-host-1", agents: ["conv-host-1"] });
    expect(listed.find((t) => t.id === tokenId)!.revokedAt).not.toBeNull();
    await expect(revokeAgentToken(prisma, ADMIN, tokenId)).rejects.toThrow("The token conv-host-1 is already revoked.");
    // A new token for the same host may take the name over once the old one is revoked.
    const again = await post("register", { name: "conv-host-1", hostname: "conv-host-1.example", version: "0.1.0", concurrency: 1, capabilities }, other.secret);
    expect(again.status).toBe(200);
    expect(again.body.agentId).toBe(agentId);
    expect(await claimConversion(prisma, { id: agentId })).toBeNull();
  });

  test("an admin retires a gone agent: audited, its running work interrupted, and it is refused from then on", async () => {
    const { secret: own } = await createAgentToken(prisma, ADMIN, { name: "to-retire" });
    const reg = await post("register", { name: "old-host", hostname: "old", version: "0.1.0", concurrency: 1, capabilities }, own);
    const id = await seedConversion(prisma, { guestName: "on-old-host" });
    expect((await post("claim", { agentId: reg.body.agentId }, own)).body.job.id).toBe(id);
    expect(await retireAgent(prisma, ADMIN, reg.body.agentId)).toEqual({ name: "old-host", interrupted: 1 });
    expect(await prisma.conversion.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "interrupted", error: `The agent old-host was retired by ${ADMIN.email} while running this conversion.` });
    expect(await prisma.auditEvent.count({ where: { action: "agent.retire", targetId: reg.body.agentId } })).toBe(1);
    const beat = await post("heartbeat", { agentId: reg.body.agentId, running: [] }, own);
    expect(beat).toMatchObject({ status: 403, body: { error: { message: "The agent old-host was retired by an admin." } } });
    const again = await post("register", { name: "old-host", hostname: "old", version: "0.1.0", concurrency: 1, capabilities }, own);
    expect(again).toMatchObject({ status: 403, body: { error: { message: "The agent old-host was retired by an admin; register under another name." } } });
  });
});
