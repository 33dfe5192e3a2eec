// A freshly migrated database for one test file, with a Prisma client on it.
import { inject } from "vitest";
import { applyMigrations } from "../../server/db/migrate.ts";
import { createPrisma, type Db } from "../../server/db/client.ts";
import { createDatabase } from "../helpers/test-postgres.ts";

export async function freshDatabase(name: string, opts: { migrate?: boolean } = {}): Promise<{ url: string; prisma: Db }> {
  const url = await createDatabase(inject("pgUrl"), name);
  if (opts.migrate !== false) await applyMigrations(url);
  return { url, prisma: createPrisma(url) };
}
