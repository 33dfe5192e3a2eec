// The live log through the real path and across console processes: two consoles (server.ts,
// the built app) on one database, an agent reporting over HTTP to console B, Socket.IO
// clients on console A and B. 100,000 lines in batches of 1,000: every client gets every line
// number exactly once, including one that subscribes from 0 while lines are still arriving
// (replay and live overlap; the page's LineSequence drops the overlap). Throughput and latency
// are printed, never asserted.
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { LineSequence } from "../../../components/conversions/live-model.ts";
import { readCapabilities } from "../../../server/agents/capabilities.ts";
import { createAgentToken } from "../../../server/agents/tokens.ts";
import { httpTransport, type AgentTransport } from "../../../server/agents/transport.ts";
import type { Db } from "../../../server/db/client.ts";
import { toSeqColumns } from "../../../server/log-columns.ts";
import { startConsole, tempDataDir, type ConsoleProcess } from "../../helpers/console-process.ts";
import { ADMIN, copyPlan, seedConversion } from "../agents/helpers.ts";
import { freshDatabase } from "../db.ts";
import { connected, liveClient, percentile, record, signIn, subscribe, type LiveClient } from "./helpers.ts";

const admin = { email: "live-admin@example.test", password: "live admin password" };
const LINES = 100_000;
const BATCH = 1000;

let prisma: Db;
let a: ConsoleProcess;
let b: ConsoleProcess;
let cookie: string;
const clients: LiveClient[] = [];

function consoleEnv(url: string) {
  // Two consoles on one external database share the session secret and the credentials key
  // (the console refuses to start in production on an external database without the latter).
  return {
    DATABASE_URL: url,
    FERRY_EMBEDDED_AGENT: "0",
    FERRY_SECRET: "live-test-secret-shared-by-both-consoles",
    FERRY_SECRET_KEY: Buffer.alloc(32, 7).toString("base64"),
    FERRY_ADMIN_EMAIL: admin.email,
    FERRY_ADMIN_PASSWORD: admin.password,
  };
}

// Console A on PORT (its unused embedded-database port PG_PORT), B on the next ones; overridable
// so a second checkout can run this beside the suite.
const PORT = Number(process.env.FERRY_TEST_LIVE_PORT ?? 3272);
const PG_PORT = Number(process.env.FERRY_TEST_LIVE_PG_PORT ?? 54453);

beforeAll(async () => {
  const db = await freshDatabase("realtime_live");
  prisma = db.prisma;
  // One after the other: the first may still build the app.
  a = await startConsole({ port: PORT, pgPort: PG_PORT, env: consoleEnv(db.url) });
  b = await startConsole({ port: PORT + 1, pgPort: PG_PORT + 1, env: consoleEnv(db.url) });
  cookie = await signIn(a.url, admin.email, admin.password);
}, 600_000);

afterAll(async () => {
  for (const c of clients) c.disconnect();
  await a?.stop();
  await b?.stop();
  await prisma?.$disconnect();
});

function client(url: string, withCookie = true): LiveClient {
  const c = liveClient(url, withCookie ? cookie : undefined);
  clients.push(c);
  return c;
}

async function runningConversion(agent: AgentTransport, name: string): Promise<{ id: string; agentId: string; attempt: number }> {
  const scratch = tempDataDir("ferry-live-agent-");
  mkdirSync(path.join(scratch, "out"), { recursive: true });
  const reg = await agent.register({ name, hostname: os.hostname(), version: "test", concurrency: 1, capabilities: await readCapabilities({ scratchDir: scratch, concurrency: 1 }) });
  const id = await seedConversion(prisma, { guestName: name, plan: copyPlan([{ name: `${name}-sda`, source: "/nonexistent", target: path.join(scratch, "out", "sda.raw") }], { format: "raw", allocation: "sparse" }) });
  const job = await agent.claim(reg.agentId);
  expect(job?.id).toBe(id);
  return { id, agentId: reg.agentId, attempt: job!.attempt };
}

describe("live log across two console processes", () => {
  test("a socket without a session is refused; a signed-in one subscribes, an unknown conversion is refused by name", async () => {
    const anonymous = client(a.url, false);
    await expect(connected(anonymous)).rejects.toThrow("unauthorized");
    const signedIn = client(a.url);
    await connected(signedIn);
    expect(await subscribe(signedIn, "no-such-conversion", 0)).toEqual({ ok: false, error: "That conversion does not exist." });
  });

  test("100,000 lines reported to console B reach clients on A and B once each, in order; a late subscriber from 0 too", async () => {
    const { secret } = await createAgentToken(prisma, ADMIN, { name: "live-test" });
    const agent = httpTransport(b.url, secret);
    const job = await runningConversion(agent, "firehose");

    const onA = client(a.url);
    const onB = client(b.url);
    await Promise.all([connected(onA), connected(onB)]);
    const gotA = record(onA, job.id);
    const gotB = record(onB, job.id);
    expect(await subscribe(onA, job.id, 0)).toMatchObject({ ok: true, through: 0, status: "running" });
    expect(await subscribe(onB, job.id, 0)).toMatchObject({ ok: true, through: 0 });

    // A real agent heartbeats while it reports; without it the sweeper would interrupt the run.
    const beat = setInterval(() => void agent.heartbeat({ agentId: job.agentId, running: [job.id] }).catch(() => undefined), 2000);
    let late: { client: LiveClient; got: ReturnType<typeof record>; reply: Promise<unknown> } | undefined;
    const sentAt = new Map<number, number>();
    const started = Date.now();
    for (let n = 0; n < LINES / BATCH; n++) {
      const at = new Date();
      const lines = Array.from({ length: BATCH }, (_, i) => ({ seq: n * BATCH + i, at: at.toISOString(), level: "info" as const, stage: "copy", message: `line ${n * BATCH + i}` }));
      sentAt.set(n, at.getTime());
      await agent.logs({ agentId: job.agentId, conversionId: job.id, attempt: job.attempt, lines: toSeqColumns(lines) });
      if (n === 30) {
        // Subscribes from 0 while the agent keeps sending: replay and live batches overlap.
        const c = client(a.url);
        await connected(c);
        const got = record(c, job.id);
        late = { client: c, got, reply: subscribe(c, job.id, 0) };
      }
    }
    const sent = Date.now();
    clearInterval(beat);
    const complete = (got: ReturnType<typeof record>) => got.lines().some((l) => l.line === LINES);
    const until = Date.now() + 120_000;
    while (!(complete(gotA) && complete(gotB) && late && complete(late.got)) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    const done = Date.now();

    for (const got of [gotA, gotB]) {
      // Each line number arrives exactly once, and in order: each console process relays the
      // batches of a conversion in line order (server/realtime/log-relay.ts), also those that
      // reach console A through the Postgres adapter, where a large batch could overtake the
      // one before it (seen in CI: 90001-91000 before 89001-90000).
      const numbers = got.lines().map((l) => l.line);
      expect(numbers.length).toBe(LINES);
      expect(numbers).toEqual(Array.from({ length: LINES }, (_, i) => i + 1));
      expect([...numbers].sort((x, y) => x - y)).toEqual(Array.from({ length: LINES }, (_, i) => i + 1));
      const ordered = new LineSequence();
      for (const batch of got.batches) ordered.accept(batch.lines);
      expect(ordered.lines.map((l) => l.line)).toEqual(Array.from({ length: LINES }, (_, i) => i + 1));
      expect(ordered.lines[LINES - 1]!.message).toBe(`line ${LINES - 1}`);
    }
    expect(await late!.reply).toMatchObject({ ok: true });
    const sequence = new LineSequence();
    for (const batch of late!.got.batches) sequence.accept(batch.lines);
    expect(sequence.lines.map((l) => l.line)).toEqual(Array.from({ length: LINES }, (_, i) => i + 1));
    expect(await prisma.conversionLog.count({ where: { conversionId: job.id } })).toBe(LINES);
    // A page holding only the newest lines asks for older ones by number.
    const older = await onA.emitWithAck("conversion:earlier", { id: job.id, before: 50_001, limit: 2000 });
    expect(older.ok && older.lines.map((l) => l.line)).toEqual(Array.from({ length: 2000 }, (_, i) => 48_001 + i));

    // Latency: the batch's send time (its lines' `at`) to its arrival on console A's client.
    const latencies = gotA.batches.map((batch) => batch.at - Date.parse(batch.lines[0]!.at)).sort((x, y) => x - y);
    const latenciesB = gotB.batches.map((batch) => batch.at - Date.parse(batch.lines[0]!.at)).sort((x, y) => x - y);
    const overlap = late!.got.lines().length - LINES;
    console.log(
      [
        `live log: ${LINES} lines in ${LINES / BATCH} HTTP batches to console B`,
        `  agent -> console -> Postgres: ${Math.round(LINES / ((sent - started) / 1000))} lines/s (${((sent - started) / 1000).toFixed(1)} s)`,
        `  all three clients complete after ${((done - started) / 1000).toFixed(1)} s`,
        `  batch latency, send -> client on A (other process): median ${percentile(latencies, 50)} ms, p95 ${percentile(latencies, 95)} ms, max ${latencies[latencies.length - 1]} ms`,
        `  batch latency, send -> client on B (same process):  median ${percentile(latenciesB, 50)} ms, p95 ${percentile(latenciesB, 95)} ms`,
        `  late subscriber: ${late!.got.batches.length} batches, ${overlap} overlapping lines dropped by LineSequence`,
      ].join("\n"),
    );
  }, 600_000);
});
