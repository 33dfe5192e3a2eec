// Ferry's one process: the embedded PostgreSQL (unless DATABASE_URL is set), migrations, the
// first admin from the environment, Next.js and Socket.IO on one port, and a clean shutdown of
// all of it on SIGINT/SIGTERM.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { readEnv, publicUrl, EnvError } from "./server/env.ts";
import { logger } from "./server/log.ts";

const dev = process.argv.includes("--dev");
(process.env as Record<string, string>).NODE_ENV = dev ? "development" : "production";
const log = logger("ferry");
const root = import.meta.dirname;

// The newest modification time of the sources a production build is made from.
function newestSource(): number {
  let newest = 0;
  const visit = (p: string) => {
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) {
      for (const name of readdirSync(p)) if (name !== "generated" && name !== "node_modules") visit(path.join(p, name));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of ["app", "components", "server", "public", "next.config.js", "postcss.config.mjs", "package-lock.json"]) visit(path.join(root, p));
  return newest;
}

async function buildIfNeeded(): Promise<void> {
  if (dev) return;
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (existsSync(buildId)) {
    if (statSync(buildId).mtimeMs >= newestSource()) return;
    log.info("the sources changed since the last build: running `next build`");
  } else {
    log.info("no production build yet: running `next build` (about a minute, once)");
  }
  const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, "build"], { cwd: root, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next build failed (exit ${code})`))));
  });
}

async function main(): Promise<void> {
  const env = readEnv();
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  process.env.FERRY_DATA_DIR = env.dataDir;
  process.env.PORT = String(env.PORT);
  process.env.FERRY_PUBLIC_URL ??= publicUrl(env);

  await buildIfNeeded();

  const { startDatabase } = await import("./server/db/database.ts");
  const database = await startDatabase(env);
  process.env.DATABASE_URL = database.url;

  let shuttingDown = false;
  // Stopped in reverse order, each named in the log, so a shutdown that stalls says where.
  const stops: { name: string; stop: () => Promise<void> }[] = [{ name: "the database", stop: () => database.stop() }];
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info(`${signal}: shutting down`);
    for (const { name, stop } of stops.reverse()) {
      log.info(`stopping ${name}`);
      await stop().catch((e: unknown) => log.warn(`error while stopping ${name}`, { error: String(e) }));
    }
    log.info("stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  try {
    const { bootstrapAdminFromEnv } = await import("./server/users/bootstrap.ts");
    await bootstrapAdminFromEnv(env);
    const { seedVendorLayer } = await import("./server/config/seed-vendor-layer.ts");
    await seedVendorLayer((await import("./server/db/client.ts")).db());

    const { default: next } = await import("next");
    const app = next({ dev, dir: root, hostname: env.HOST, port: env.PORT });
    const handle = app.getRequestHandler();
    await app.prepare();

    const { CLIENT_IP_HEADER, normalizeIp } = await import("./server/http/client-ip.ts");
    const { FIXED_SECURITY_HEADERS, contentSecurityPolicy } = await import("./server/http/security-headers.ts");
    const scriptlessPolicy = contentSecurityPolicy();
    const { createDatabaseGate } = await import("./server/http/database-gate.ts");
    const { checkHealth } = await import("./server/health.ts");
    // While PostgreSQL is down: a clear 503 instead of Next's error page (database-gate.ts).
    const gate = createDatabaseGate(async () => (await checkHealth()).database);
    const { onConnectionLost } = await import("./server/db/client.ts");
    onConnectionLost(gate.suspect);
    const http = createServer((req, res) => {
      // Never trust a client-supplied address: stamp the socket's own.
      req.headers[CLIENT_IP_HEADER] = normalizeIp(req.socket.remoteAddress) ?? "unknown";
      // Every response (static files, route handlers, errors, the 503 page) gets these; proxy.ts
      // replaces the CSP of pages with one carrying their script nonce.
      for (const [name, value] of Object.entries(FIXED_SECURITY_HEADERS)) res.setHeader(name, value);
      res.setHeader("Content-Security-Policy", scriptlessPolicy);
      void gate(req, res).then((answered) => (answered ? undefined : handle(req, res)));
    });

    const { attachRealtime } = await import("./server/realtime/socket-server.ts");
    const { chooseAdapter } = await import("./server/realtime/adapter.ts");
    const io = attachRealtime(http, { adapter: chooseAdapter(process.env.FERRY_REALTIME_ADAPTER, database.embedded), databaseUrl: database.url });
    stops.push({
      name: "the web server and live updates",
      stop: async () => {
        // Closing the server waits for every connection to end, and io.stop() waits for that: a
        // request still open under a page (seen in the console-restart test) held a SIGTERM for
        // minutes. Requests in flight get 2 s to finish, then every connection is closed.
        const force = setTimeout(() => http.closeAllConnections(), 2_000);
        try {
          await io.stop();
        } finally {
          clearTimeout(force);
        }
        http.closeAllConnections();
      },
    });

    await new Promise<void>((resolve, reject) => {
      http.once("error", reject);
      http.listen(env.PORT, env.HOST, () => resolve());
    });

    // The heartbeat sweeper and the embedded agent (unless FERRY_EMBEDDED_AGENT=0); stopped
    // before the database, so running attempts are reported interrupted, not lost.
    const { startConsoleAgents } = await import("./server/agents/embedded.ts");
    const { version } = await import("./server/version.ts");
    const agents = await startConsoleAgents((await import("./server/db/client.ts")).db(), { version, dataDir: env.dataDir });
    stops.push({ name: "the agents", stop: () => agents.stop() });
    log.info(`Ferry is ready at ${process.env.FERRY_PUBLIC_URL} (${dev ? "development" : "production"}, database ${database.embedded ? "embedded" : "external"})`);
  } catch (e) {
    log.error(e instanceof Error ? e.message : String(e));
    await shutdown("startup failure");
  }
}

main().catch((e: unknown) => {
  log.error(e instanceof EnvError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
