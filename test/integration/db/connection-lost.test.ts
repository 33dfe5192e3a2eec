// The console's database gate trusts "up" for a second and relies on the pool to say when a
// connection is lost: PostgreSQL stopping must reach onConnectionLost at once, and the same
// client must work again once PostgreSQL is back.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { createPrisma, onConnectionLost, type Db } from "../../../server/db/client.ts";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../../../server/db/embedded-postgres.ts";

const PG_PORT = 54561;
const dir = mkdtempSync(join(tmpdir(), "ferry-conn-lost-"));
let database: EmbeddedDatabase | undefined;
let prisma: Db | undefined;
afterAll(async () => {
  await prisma?.$disconnect();
  await database?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("PostgreSQL stopping ends the pool's connections: the listener hears it; the client works again after a restart", async () => {
  const start = () => startEmbeddedPostgres({ dataDir: dir, port: PG_PORT, database: "ferry" });
  database = await start();
  prisma = createPrisma(database.url);
  expect(await prisma.$queryRaw<{ one: number }[]>`SELECT 1 AS one`).toEqual([{ one: 1 }]);
  let lost = 0;
  const off = onConnectionLost(() => lost++);
  try {
    await database.stop();
    database = undefined;
    await expect.poll(() => lost, { timeout: 10_000 }).toBeGreaterThan(0);
    database = await start();
    expect(await prisma.$queryRaw<{ one: number }[]>`SELECT 1 AS one`).toEqual([{ one: 1 }]);
  } finally {
    off();
  }
}, 120_000);
