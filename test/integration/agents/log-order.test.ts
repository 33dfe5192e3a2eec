// An agent keeps two log batches in flight: the console stores them in seq order whatever order
// they arrive in, and the agent's reporter puts the lines of a failed request back in order. Real
// HTTP, the real handler and a real database; between the agent and the handler sits a front
// door (like a proxy) that can hold a request, or answer 502 in place of the console, before or
// after the console handled it.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { handleAgentRequest, type AgentOperation } from "../../../server/agents/api.ts";
import { readCapabilities } from "../../../server/agents/capabilities.ts";
import { publishedLines, setConversionPublisher, type ConversionUpdate } from "../../../server/agents/publish.ts";
import { interruptRunning } from "../../../server/agents/queue.ts";
import { createReporter } from "../../../server/agents/reporter.ts";
import { createAgentToken } from "../../../server/agents/tokens.ts";
import { httpTransport } from "../../../server/agents/transport.ts";
import type { Db } from "../../../server/db/client.ts";
import { toSeqColumns } from "../../../server/log-columns.ts";
import { freshDatabase } from "../db.ts";
import { ADMIN, seedConversion } from "./helpers.ts";

/** What the front door does with one logs request: pass it, or answer 502 before or after the console handled it. */
type Fate = "pass" | "fail-before" | "fail-after";
type Arrival = { n: number; body: string; reached: Promise<void>; settle: (fate: Fate) => void };

let prisma: Db;
let front: { url: string; close: () => Promise<void>; arrivals: Arrival[]; arrived: (n: number) => Promise<Arrival>; hold: boolean; reset: () => void; bodies: number[] };
let secret: string;
let agentId: string;
let published: ConversionUpdate[] = [];

/** The agent API behind a front door; with `hold`, each logs request waits for the test to settle it. */
async function serveFrontDoor(client: Db): Promise<typeof front> {
  const arrivals: Arrival[] = [];
  const waiters = new Map<number, (a: Arrival) => void>();
  const handle = async (op: string, headers: Headers, body: Buffer) =>
    handleAgentRequest(client, op as AgentOperation, new Request(`http://agent-api/api/agent/${op}`, { method: "POST", headers, body: new Uint8Array(body) }));
  const server: Server = createServer((req, res) => {
    void (async () => {
      const op = /^\/api\/agent\/([a-z]+)$/.exec(req.url ?? "")?.[1] ?? "";
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks);
      if (op === "logs") state.bodies.push(body.length);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const answer = async (response: Response) => res.writeHead(response.status, { "content-type": "application/json" }).end(Buffer.from(await response.arrayBuffer()));
      if (op !== "logs" || !state.hold) return answer(await handle(op, headers, body));
      let reached!: () => void;
      const fate = await new Promise<Fate>((settle) => {
        const arrival: Arrival = { n: arrivals.length, body: body.toString(), reached: new Promise((r) => (reached = r)), settle };
        arrivals.push(arrival);
        waiters.get(arrival.n)?.(arrival);
      });
      if (fate === "fail-before") {
        reached();
        return answer(Response.json({ error: { code: "BAD_GATEWAY", message: "the front door lost the request" } }, { status: 502 }));
      }
      const handled = handle(op, headers, body);
      reached();
      const response = await handled;
      if (fate === "fail-after") return answer(Response.json({ error: { code: "BAD_GATEWAY", message: "the front door lost the reply" } }, { status: 502 }));
      return answer(response);
    })();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const state = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    hold: false,
    bodies: [] as number[],
    reset: () => {
      state.hold = false;
      state.bodies.length = 0;
      arrivals.length = 0;
      waiters.clear();
    },
    arrived: (n: number) => new Promise<Arrival>((resolve) => (arrivals[n] ? resolve(arrivals[n]) : waiters.set(n, resolve))),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  return state;
}

/** A conversion claimed by the test's agent: attempt 1, running. */
async function running(name: string): Promise<{ id: string; job: { agentId: string; conversionId: string; attempt: number } }> {
  const id = await seedConversion(prisma, { guestName: name });
  const claim = await httpTransport(front.url, secret).claim(agentId);
  expect(claim?.id).toBe(id);
  return { id, job: { agentId, conversionId: id, attempt: claim!.attempt } };
}

/** The stored lines of a conversion, by line number. */
async function stored(id: string) {
  return prisma.conversionLog.findMany({ where: { conversionId: id }, orderBy: { line: "asc" }, select: { line: true, seq: true, message: true } });
}

/** Line numbers of the batches published for live views, in the order they were published. */
function liveLines(id: string): number[] {
  return published.flatMap((u) => (u.type === "logs" && u.conversionId === id ? publishedLines(u.columns).map((l) => l.line) : []));
}

const upTo = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Lines 0..n-1 of the attempt are stored once each, numbered 1..n in seq order, and the live view got 1..n in order. */
async function expectWhole(id: string, n: number): Promise<void> {
  const lines = await stored(id);
  expect(lines.map((l) => l.seq)).toEqual(upTo(n));
  expect(lines.map((l) => l.line)).toEqual(upTo(n).map((s) => s + 1));
  expect(liveLines(id)).toEqual(upTo(n).map((s) => s + 1));
}
const message = (seq: number) => `line ${seq}`;

beforeAll(async () => {
  ({ prisma } = await freshDatabase("agents_log_order"));
  front = await serveFrontDoor(prisma);
  secret = (await createAgentToken(prisma, ADMIN, { name: "order-host" })).secret;
  const capabilities = await readCapabilities({ scratchDir: "/tmp", concurrency: 16, libvirtUri: "test:///default" });
  agentId = (await httpTransport(front.url, secret).register({ name: "order-host", hostname: "order-host", version: "0", concurrency: 16, capabilities })).agentId;
  setConversionPublisher((u) => published.push(u));
});
afterEach(() => {
  front.reset();
  published = [];
});
afterAll(async () => {
  setConversionPublisher(undefined);
  await front?.close();
  await prisma?.$disconnect();
});

/**
 * A reporter (batches of 100) whose first two requests the front door holds: `n` lines logged,
 * a flush started, both requests arrived. Errors are collected (`stale: ` for a stale attempt).
 */
async function twoOut(job: Parameters<typeof createReporter>[1], n: number) {
  const errors: string[] = [];
  const reporter = createReporter(httpTransport(front.url, secret), job, { onStale: (m) => errors.push(`stale: ${m}`), onError: (m) => errors.push(m) }, { maxBatch: 100 });
  front.hold = true;
  for (const seq of upTo(n)) reporter.log("info", message(seq), "copy");
  const flushed = reporter.flush();
  const [first, second] = [await front.arrived(0), await front.arrived(1)];
  return { errors, reporter, flushed, first, second };
}

describe("two batches in flight", () => {
  test("the first is lost before the console: the second waits for it, both come back in order, every line is stored once", async () => {
    const { id, job } = await running("first-lost");
    const { errors, reporter, flushed, first, second } = await twoOut(job, 250);
    expect(JSON.parse(first.body).lines.seq).toEqual([[0, 100]]);
    expect(JSON.parse(second.body).lines.seq).toEqual([[100, 100]]);
    second.settle("pass");
    await second.reached;
    first.settle("fail-before");
    await flushed;
    // Nothing was stored: the console would not store lines 100-199 before 0-99.
    expect(await stored(id)).toEqual([]);
    expect(errors).toContain("the front door lost the request");
    expect(errors.some((e) => /from seq 100 on came before the lines after seq -1/.test(e))).toBe(true);

    front.hold = false;
    await reporter.close();
    const lines = await stored(id);
    expect(lines.map((l) => l.seq)).toEqual(upTo(250));
    expect(lines.map((l) => l.line)).toEqual(upTo(250).map((s) => s + 1));
    expect(lines.map((l) => l.message)).toEqual(upTo(250).map(message));
    expect(liveLines(id)).toEqual(upTo(250).map((s) => s + 1));
    expect(errors.filter((e) => e.startsWith("stale"))).toEqual([]);
  });

  test("the first is stored but its reply is lost: sent again, it is not stored twice", async () => {
    const { id, job } = await running("reply-lost");
    const { errors, reporter, flushed, first, second } = await twoOut(job, 200);
    first.settle("fail-after");
    second.settle("pass");
    await flushed;
    expect(errors).toEqual(["the front door lost the reply"]);
    front.hold = false;
    for (const seq of upTo(300).slice(200)) reporter.log("info", message(seq), "copy");
    await reporter.close();
    await expectWhole(id, 300);
  });

  test("the second fails and the first is stored: the second's lines go out again ahead of the newer ones", async () => {
    const { id, job } = await running("second-lost");
    const { errors, reporter, flushed, first, second } = await twoOut(job, 250);
    second.settle("fail-before");
    await second.reached;
    first.settle("pass");
    await flushed;
    expect(errors).toEqual(["the front door lost the request"]);
    expect((await stored(id)).map((l) => l.seq)).toEqual(upTo(100));
    front.hold = false;
    await reporter.close();
    await expectWhole(id, 250);
  });

  test("the attempt goes stale with both out: the agent is told once, drops its lines, and close() returns", async () => {
    const { id, job } = await running("stale");
    const { errors, reporter, flushed, first, second } = await twoOut(job, 250);
    // The console gives the attempt up (the agent looked gone) while both requests are out.
    await prisma.$transaction((tx) => interruptRunning(tx, { agentId }, "The agent stopped reporting."));
    first.settle("pass");
    second.settle("pass");
    await flushed;
    reporter.log("info", "after the attempt ended", "copy");
    await reporter.close();
    // Told once, and nothing else went wrong.
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^stale: Attempt 1 of conversion .* is not running on this agent/);
    // Nothing more was sent once the console said the attempt was over.
    expect(front.arrivals).toHaveLength(2);
    expect(await stored(id)).toEqual([]);
    expect(await prisma.conversion.findUniqueOrThrow({ where: { id }, select: { status: true } })).toEqual({ status: "interrupted" });
  });
});

describe("batches", () => {
  test("long lines: a request carries at most about 4 MiB of text, and every line arrives once, in order", async () => {
    const { id, job } = await running("long-lines");
    const reporter = createReporter(httpTransport(front.url, secret), job, { onStale: () => undefined, onError: () => undefined });
    const long = (seq: number) => `${message(seq)} ${"x".repeat(60_000)}`;
    for (const seq of upTo(200)) reporter.log("info", long(seq), "copy");
    await reporter.close();
    const lines = await stored(id);
    expect(lines.map((l) => l.seq)).toEqual(upTo(200));
    expect(lines.every((l, i) => l.message === long(i))).toBe(true);
    expect(front.bodies.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...front.bodies)).toBeLessThan(4.5 * 1024 * 1024);
  });
});

describe("the console", () => {
  const post = async (job: { agentId: string; conversionId: string; attempt: number }, seqs: number[]) => {
    const res = await fetch(`${front.url}/api/agent/logs`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({ ...job, lines: toSeqColumns(seqs.map((seq) => ({ seq, at: new Date().toISOString(), level: "info" as const, stage: "copy", message: message(seq) }))) }),
    });
    return { status: res.status, body: (await res.json()) as { stored?: number; error?: { code: string; message: string } } };
  };

  test("a batch that arrives before the one preceding it waits for it: lines are numbered in seq order and published in line order", async () => {
    const { id, job } = await running("overtaken");
    const later = post(job, upTo(200).slice(100));
    // Give the later batch time to reach the console first (the outcome is the same either way).
    await new Promise((r) => setTimeout(r, 300));
    const earlier = await post(job, upTo(100));
    expect(earlier).toEqual({ status: 200, body: { stored: 100 } });
    expect(await later).toEqual({ status: 200, body: { stored: 100 } });
    await expectWhole(id, 200);
  });

  test("a batch whose predecessor never comes is refused as a passing failure (503) and nothing of it is stored; sent again in order, it is", async () => {
    const { id, job } = await running("gap");
    const alone = await post(job, upTo(200).slice(100));
    expect(alone.status).toBe(503);
    expect(alone.body.error).toEqual({ code: "UNAVAILABLE", message: `Log lines of attempt 1 of conversion ${id} from seq 100 on came before the lines after seq -1: send those first.` });
    expect(await stored(id)).toEqual([]);
    expect(await post(job, upTo(100))).toEqual({ status: 200, body: { stored: 100 } });
    // A resend that overlaps what is stored: only the new lines are stored, after the others.
    expect(await post(job, upTo(200).slice(50))).toEqual({ status: 200, body: { stored: 100 } });
    await expectWhole(id, 200);
  });

  test("lines are stored and shown exactly as logged: quotes, backslashes, braces, commas, NULL, empty and non-ASCII text", async () => {
    const { id, job } = await running("text");
    const texts = ['say "hi"', "C:\\Windows\\System32", "back\\slash at the end\\", "{a,b}", "NULL", "", "  spaced  ", "tab\there", "naïve café 日本語 🚀", "comma, then \"quote\\\""];
    const at = new Date().toISOString();
    const lines = texts.map((message, seq) => ({ seq, at, level: "info" as const, stage: seq % 2 ? 'stage "odd"' : "copy {x}", message }));
    const res = await fetch(`${front.url}/api/agent/logs`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({ ...job, lines: toSeqColumns(lines) }),
    });
    expect(await res.json()).toEqual({ stored: texts.length });
    const rows = await prisma.conversionLog.findMany({ where: { conversionId: id }, orderBy: { line: "asc" }, select: { message: true, stage: true, at: true } });
    expect(rows.map((r) => r.message)).toEqual(texts);
    expect(rows.map((r) => r.stage)).toEqual(lines.map((l) => l.stage));
    expect(rows.every((r) => r.at.toISOString() === at)).toBe(true);
    const live = published.flatMap((u) => (u.type === "logs" && u.conversionId === id ? publishedLines(u.columns) : []));
    expect(live.map((l) => l.message)).toEqual(texts);
  });

  test("a batch with its seqs out of order and repeated is stored once per seq, numbered in seq order", async () => {
    const { id, job } = await running("shuffled");
    const at = new Date().toISOString();
    const lines = [2, 0, 1, 0, 3].map((seq) => ({ seq, at, level: "info" as const, stage: "copy", message: message(seq) }));
    const res = await fetch(`${front.url}/api/agent/logs`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({ ...job, lines: toSeqColumns(lines) }),
    });
    expect(await res.json()).toEqual({ stored: 4 });
    expect((await stored(id)).map((l) => [l.line, l.seq, l.message])).toEqual(upTo(4).map((s) => [s + 1, s, message(s)]));
    expect(liveLines(id)).toEqual([1, 2, 3, 4]);
  });
});
