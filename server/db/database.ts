// Brings the database up for the console: the embedded PostgreSQL unless DATABASE_URL points at
// an external server, then the migrations.
import { applyMigrations } from "./migrate.ts";
import { startEmbeddedPostgres } from "./embedded-postgres.ts";
import type { TEnv } from "../env.ts";
import { logger } from "../log.ts";

const log = logger("db");

export type RunningDatabase = { url: string; embedded: boolean; stop: () => Promise<void> };

export async function startDatabase(env: TEnv): Promise<RunningDatabase> {
  let running: RunningDatabase;
  if (env.DATABASE_URL) {
    running = { url: env.DATABASE_URL, embedded: false, stop: async () => {} };
    log.info("using the external database from DATABASE_URL");
  } else {
    const e = await startEmbeddedPostgres({ dataDir: env.dataDir, port: env.FERRY_PG_PORT });
    running = { url: e.url, embedded: true, stop: e.stop };
  }
  try {
    const result = await applyMigrations(running.url);
    if (result.applied.length) log.info(`applied migrations: ${result.applied.join(", ")}`);
  } catch (e) {
    await running.stop();
    throw e;
  }
  return running;
}
