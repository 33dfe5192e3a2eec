// Agent tests: the agent routes served from a plain node:http server (the same handler the
// Next routes call), conversions seeded with a copy plan, `ferry agent` child processes, and
// polling on what a user would see in the database.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { AGENT_OPERATIONS, handleAgentRequest, type AgentOperation } from "../../../server/agents/api.ts";
import type { AuditActor } from "../../../server/audit/record-audit.ts";
import type { Db } from "../../../server/db/client.ts";

export const ROOT = path.resolve(import.meta.dirname, "../../..");
export const ADMIN: AuditActor = { id: null, email: "ops-admin@example.test", ip: "127.0.0.1" };

export async function serveAgentApi(prisma: Db): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const op = /^\/api\/agent\/([a-z]+)$/.exec(req.url ?? "")?.[1];
      if (req.method !== "POST" || !op || !(AGENT_OPERATIONS as readonly string[]).includes(op)) {
        res.writeHead(404).end();
        return;
      }
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const response = await handleAgentRequest(prisma, op as AgentOperation, new Request(`http://agent-api${req.url}`, { method: "POST", headers, body: Buffer.concat(chunks) }));
      res.writeHead(response.status, { "content-type": "application/json" }).end(Buffer.from(await response.arrayBuffer()));
    })();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export type CopyDisk = { name: string; source: string; target: string };

export function copyPlan(disks: CopyDisk[], output: { format: "raw" | "qcow2"; allocation: "sparse" | "preallocated"; method?: string; storage?: string }) {
  return {
    version: 1,
    output: { method: output.method ?? "local", storage: output.storage ?? path.dirname(disks[0]!.target), format: output.format, allocation: output.allocation },
    disks: disks.map((d, index) => ({ index, name: d.name, targetPath: d.target, source: { path: d.source, format: "raw" } })),
    nics: [],
  };
}

export async function seedConversion(prisma: Db, fields: { guestName?: string; plan?: unknown; request?: unknown; dryRun?: boolean } = {}): Promise<string> {
  const id = randomUUID();
  await prisma.conversion.create({
    data: {
      id,
      guestName: fields.guestName ?? "guest",
      dryRun: fields.dryRun ?? false,
      request: (fields.request ?? { source: { method: "libvirtxml", file: "/srv/guest.xml" }, output: { method: "local", storage: "/srv/out" } }) as object,
      ...(fields.plan !== undefined ? { plan: fields.plan as object } : {}),
      createdByEmail: ADMIN.email,
    },
  });
  return id;
}

/** Polls until `check` returns a value (not undefined); gives up after `ms` with `what` in the error. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export type AgentChild = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

function cleanEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)) as NodeJS.ProcessEnv;
}

/** Starts `ferry agent` as a real child process (the CLI, over HTTP, with --runner copy). */
export function spawnAgent(args: string[], env: Record<string, string | undefined> = {}): AgentChild {
  const child = spawn(process.execPath, [path.join(ROOT, "server/cli/ferry.mjs"), "agent", "--runner", "copy", ...args], {
    cwd: ROOT,
    env: cleanEnv({ ...process.env, DATABASE_URL: undefined, FERRY_AGENT_SCRATCH: undefined, ...env }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return { child, output: () => out, exited };
}

/**
 * A raw image served by nbdkit through its rate filter (RATE in bits per second), so a copy
 * takes seconds. One per test: nbdkit's rate filter has been seen to abort when a client is
 * killed mid-transfer, and a test's kills must not take the next test's source with them.
 */
export async function throttledSource(file: string, socket: string, rate = "512M"): Promise<{ url: string; stop: () => void }> {
  const nbdkit = spawn("nbdkit", ["-f", "-U", socket, "--filter=rate", "file", `file=${file}`, `rate=${rate}`], { stdio: "ignore" });
  await waitFor("nbdkit's socket", () => (existsSync(socket) ? true : undefined));
  return { url: `nbd+unix:///?socket=${socket}`, stop: () => void nbdkit.kill("SIGTERM") };
}
