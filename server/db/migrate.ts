// Applies prisma/migrations/*/migration.sql in name order and records each in
// _prisma_migrations exactly as `prisma migrate deploy` does, so a machine that has Prisma's
// engine sees them as applied. A session advisory lock makes concurrent starts wait for each
// other instead of migrating twice.
import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import pg from "pg";

// The key Prisma itself uses for its migration advisory lock.
const LOCK_KEY = 72707369;

export type MigrationResult = { applied: string[]; alreadyApplied: string[] };

export class MigrationError extends Error {}

export function migrationsDir(): string {
  return path.resolve(import.meta.dirname, "../../prisma/migrations");
}

function listMigrations(dir: string): { name: string; sql: string; checksum: string }[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export async function applyMigrations(connectionString: string, dir = migrationsDir()): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    try {
      await client.query(CREATE_TABLE);
      const rows = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
        `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
      );
      const done = new Map(rows.rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => [r.migration_name, r.checksum]));
      const failed = rows.rows.find((r) => !r.finished_at && !r.rolled_back_at);
      if (failed) throw new MigrationError(`migration ${failed.migration_name} failed earlier and was not rolled back; fix the database, then mark it rolled back`);
      const result: MigrationResult = { applied: [], alreadyApplied: [] };
      for (const m of listMigrations(dir)) {
        const recorded = done.get(m.name);
        if (recorded) {
          if (recorded !== m.checksum) throw new MigrationError(`migration ${m.name} was changed after it was applied (checksum differs); add a new migration instead`);
          result.alreadyApplied.push(m.name);
          continue;
        }
        const id = randomUUID();
        await client.query("BEGIN");
        try {
          await client.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
            [id, m.checksum, m.name],
          );
          await client.query(m.sql);
          await client.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
          await client.query("COMMIT");
        } catch (e) {
          await client.query("ROLLBACK");
          throw new MigrationError(`migration ${m.name} failed: ${(e as Error).message}`);
        }
        result.applied.push(m.name);
      }
      return result;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}
