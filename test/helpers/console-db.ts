// Direct SQL on a test console's embedded database, to check what a browser journey really wrote.
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

export async function consoleQuery<T extends pg.QueryResultRow>(dataDir: string, pgPort: number, sql: string, params: unknown[] = []): Promise<T[]> {
  const creds = JSON.parse(readFileSync(path.join(dataDir, "postgres-credentials.json"), "utf8")) as { user: string; password: string };
  const client = new pg.Client({ host: "127.0.0.1", port: pgPort, user: creds.user, password: creds.password, database: "ferry" });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
