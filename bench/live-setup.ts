// What the two live-log benchmarks share: a real console process (server.ts, production build,
// its own embedded PostgreSQL, no embedded agent), a registered agent that speaks the real HTTP
// agent protocol and has claimed a running conversion, and signed-in Socket.IO clients run in
// worker threads (bench/live-clients.ts) so their JSON parsing does not slow the agent.
import { mkdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { readCapabilities } from "../server/agents/capabilities.ts";
import { createReporter, type Reporter } from "../server/agents/reporter.ts";
import { createAgentToken } from "../server/agents/tokens.ts";
import { httpTransport, type AgentTransport } from "../server/agents/transport.ts";
import { createPrisma, type Db } from "../server/db/client.ts";
import { signIn, startConsole, tempDataDir, type ConsoleProcess } from "../test/helpers/console-process.ts";
import { ADMIN, copyPlan, seedConversion } from "../test/integration/agents/helpers.ts";
import type { ClientReport, ClientTask } from "./live-clients.ts";

const admin = { email: "bench-admin@example.test", password: "bench admin password" };

export type LiveConsole = { console: ConsoleProcess; prisma: Db; cookie: string; stop: () => Promise<void> };

/** A console on `port` with its embedded database on `pgPort`; signs the admin in. */
export async function startLiveConsole(port: number, pgPort: number): Promise<LiveConsole> {
  const running = await startConsole({
    port,
    pgPort,
    env: { FERRY_EMBEDDED_AGENT: "0", FERRY_ADMIN_EMAIL: admin.email, FERRY_ADMIN_PASSWORD: admin.password },
    // A first start may run `next build`; a shared machine may be slow to start Next.
    readyTimeoutMs: 900_000,
  });
  const creds = JSON.parse(readFileSync(path.join(running.dataDir, "postgres-credentials.json"), "utf8")) as { user: string; password: string };
  const prisma = createPrisma(`postgres://${encodeURIComponent(creds.user)}:${encodeURIComponent(creds.password)}@127.0.0.1:${pgPort}/ferry`);
  const { cookie } = await signIn(running.url, admin.email, admin.password);
  if (!cookie) throw new Error(`sign-in at ${running.url} gave no session cookie`);
  return {
    console: running,
    prisma,
    cookie,
    stop: async () => {
      await prisma.$disconnect();
      await running.stop();
    },
  };
}

export type LiveJob = { transport: AgentTransport; agentId: string; conversionId: string; attempt: number; reporter: Reporter; stop: () => Promise<void> };

/** Registers an agent over HTTP, queues a conversion, claims it: the agent's real reporter on it. */
export async function claimRunningConversion(live: LiveConsole, name: string): Promise<LiveJob> {
  const { secret } = await createAgentToken(live.prisma, ADMIN, { name });
  const transport = httpTransport(live.console.url, secret);
  const scratch = tempDataDir("ferry-bench-agent-");
  mkdirSync(path.join(scratch, "out"), { recursive: true });
  const reg = await transport.register({ name, hostname: os.hostname(), version: "bench", concurrency: 1, capabilities: await readCapabilities({ scratchDir: scratch, concurrency: 1 }) });
  const id = await seedConversion(live.prisma, { guestName: name, plan: copyPlan([{ name: `${name}-sda`, source: "/nonexistent", target: path.join(scratch, "out", "sda.raw") }], { format: "raw", allocation: "sparse" }) });
  const job = await transport.claim(reg.agentId);
  if (job?.id !== id) throw new Error(`the agent claimed ${job?.id ?? "nothing"}, not the conversion just queued (${id})`);
  // A real agent heartbeats while it reports; without it the sweeper would interrupt the run.
  const beat = setInterval(() => void transport.heartbeat({ agentId: reg.agentId, running: [id] }).catch(() => undefined), 2000);
  const errors: string[] = [];
  const reporter = createReporter(transport, { agentId: reg.agentId, conversionId: id, attempt: job.attempt }, { onStale: (m) => errors.push(m), onError: (m) => errors.push(m) });
  return {
    transport,
    agentId: reg.agentId,
    conversionId: id,
    attempt: job.attempt,
    reporter,
    stop: async () => {
      clearInterval(beat);
      await reporter.close();
      if (errors.length > 0) process.stderr.write(`agent reporter errors: ${errors.slice(0, 5).join("; ")}\n`);
    },
  };
}

export type ClientGroup = { ready: Promise<void>; done: Promise<ClientReport[]> };

/** `clients` signed-in Socket.IO clients subscribed from line 0, in `workers` threads. */
export function watchConversion(live: LiveConsole, conversionId: string, opts: { clients: number; workers: number; lines: number; timeoutMs: number }): ClientGroup {
  const readies: Promise<void>[] = [];
  const dones: Promise<ClientReport[]>[] = [];
  for (let w = 0; w < opts.workers; w++) {
    const count = Math.floor(opts.clients / opts.workers) + (w < opts.clients % opts.workers ? 1 : 0);
    const task: ClientTask = { url: live.console.url, cookie: live.cookie, conversionId, clients: count, lines: opts.lines, timeoutMs: opts.timeoutMs };
    const worker = new Worker(new URL("./live-clients-worker.mjs", import.meta.url), { workerData: task });
    readies.push(new Promise((resolve, reject) => {
      worker.on("message", (m: { type: string }) => m.type === "ready" && resolve());
      worker.once("error", reject);
    }));
    dones.push(new Promise((resolve, reject) => {
      worker.on("message", (m: { type: string; reports?: ClientReport[] }) => m.type === "done" && resolve(m.reports ?? []));
      worker.once("error", reject);
      worker.once("exit", (code) => code !== 0 && reject(new Error(`client worker exited with ${code}`)));
    }));
  }
  return { ready: Promise.all(readies).then(() => undefined), done: Promise.all(dones).then((r) => r.flat()) };
}

/** Gives the event loop a turn (the reporter's sends and the heartbeat run in between). */
export const yieldLoop = () => new Promise<void>((r) => setImmediate(r));

/** A log line the size of a real one (qemu-img / virt-v2v lines run 60-120 characters). */
export function benchMessage(n: number): string {
  return `Copying disk 1/1 to /var/lib/libvirt/images/bench-sda.raw: block ${n} of 4194304 (${(n % 100).toString().padStart(2, "0")}%)`;
}
