import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, test } from "vitest";
import { applyMigrations, migrationsDir, MigrationError } from "../../server/db/migrate.ts";
import { freshDatabase } from "./db.ts";

const names = readdirSync(migrationsDir()).filter((n) => !n.startsWith(".")).sort();

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

describe("migration runner", () => {
  test("records every migration in _prisma_migrations the way Prisma does", async () => {
    const { url, prisma } = await freshDatabase("mig_records", { migrate: false });
    const result = await applyMigrations(url);
    expect(result.applied).toEqual(names);
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number; rolled_back_at: Date | null }>(
      url,
      `SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at FROM _prisma_migrations ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    for (const row of rows) {
      const sql = readFileSync(path.join(migrationsDir(), row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    await prisma.$disconnect();
  });

  test("a second start applies nothing", async () => {
    const { url } = await freshDatabase("mig_twice");
    const again = await applyMigrations(url);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toEqual(names);
  });

  test("processes starting at once do not both migrate", async () => {
    const { url } = await freshDatabase("mig_race", { migrate: false });
    const results = await Promise.all([applyMigrations(url), applyMigrations(url), applyMigrations(url), applyMigrations(url)]);
    const appliedCounts = results.map((r) => r.applied.length);
    expect(appliedCounts.filter((n) => n > 0)).toEqual([names.length]);
    const rows = await query<{ n: string }>(url, "SELECT count(*) AS n FROM _prisma_migrations");
    expect(Number(rows[0]?.n)).toBe(names.length);
  });

  test("an applied migration whose file changed stops the start with its name", async () => {
    const { url } = await freshDatabase("mig_changed");
    const dir = mkdtempSync(path.join(os.tmpdir(), "ferry-mig-"));
    cpSync(migrationsDir(), dir, { recursive: true });
    const first = names[0]!;
    writeFileSync(path.join(dir, first, "migration.sql"), readFileSync(path.join(dir, first, "migration.sql"), "utf8") + "\n-- edited\n");
    await expect(applyMigrations(url, dir)).rejects.toThrow(new MigrationError(`migration ${first} was changed after it was applied (checksum differs); add a new migration instead`));
  });

  test("a failing migration is rolled back whole and named in the error", async () => {
    const { url } = await freshDatabase("mig_failing");
    const dir = mkdtempSync(path.join(os.tmpdir(), "ferry-mig-"));
    cpSync(migrationsDir(), dir, { recursive: true });
    mkdirSync(path.join(dir, "99999999999999_broken"));
    writeFileSync(path.join(dir, "99999999999999_broken", "migration.sql"), `CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;`);
    await expect(applyMigrations(url, dir)).rejects.toThrow(/migration 99999999999999_broken failed: relation "no_such_table" does not exist/);
    const tables = await query<{ n: string }>(url, "SELECT count(*) AS n FROM pg_tables WHERE tablename = 'half_done'");
    expect(Number(tables[0]?.n)).toBe(0);
    const recorded = await query<{ n: string }>(url, "SELECT count(*) AS n FROM _prisma_migrations WHERE migration_name = '99999999999999_broken'");
    expect(Number(recorded[0]?.n)).toBe(0);
  });
});
