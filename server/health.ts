import { db } from "./db/client.ts";
import { version } from "./version.ts";

export type Health = { status: "ok" | "degraded"; version: string; database: { reachable: boolean; latencyMs: number | null; error?: string } };

export async function checkHealth(): Promise<Health> {
  const started = performance.now();
  try {
    await Promise.race([
      db().$queryRaw`SELECT 1`,
      new Promise((_, reject) => setTimeout(() => reject(new Error("no answer within 2 s")), 2000)),
    ]);
    return { status: "ok", version, database: { reachable: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 } };
  } catch (e) {
    return { status: "degraded", version, database: { reachable: false, latencyMs: null, error: e instanceof Error ? e.message : String(e) } };
  }
}
