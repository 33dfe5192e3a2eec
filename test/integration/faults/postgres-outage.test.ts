// Fault: PostgreSQL stops for 20 s in the middle of a conversion and starts again. The console
// (a real server.ts process on DATABASE_URL) runs against a PostgreSQL this test starts and
// stops; a real `ferry agent` copies four throttled disks meanwhile. While the database is down
// pages answer a plain "Database unavailable" page (503, no stack trace), the API a JSON 503,
// /api/health says unreachable, the console stays up and the agent keeps its lines. After it is
// back: the conversion succeeds and its log has every line exactly once, including the ones
// written during the outage.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createAgentToken } from "../../../server/agents/tokens.ts";
import { createPrisma, type Db } from "../../../server/db/client.ts";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../../../server/db/embedded-postgres.ts";
import { startConsole, type ConsoleProcess } from "../../helpers/console-process.ts";
import { MiB, qemuImgCompare, rawImage, scratch } from "../engine/helpers.ts";
import { ADMIN, copyPlan, seedConversion, spawnAgent, throttledSource, waitFor, type AgentChild } from "../agents/helpers.ts";

const PORT = 3520;
const PG_PORT = 54528;
const OUTAGE_MS = 20_000;
const DISKS = 4;
const tmp = scratch("faults-pg");
let database: EmbeddedDatabase | undefined;
let running: ConsoleProcess | undefined;
let prisma: Db | undefined;
let agent: AgentChild | undefined;
const sources: { stop: () => void }[] = [];

const startDatabase = () => startEmbeddedPostgres({ dataDir: path.join(tmp.dir, "pg"), port: PG_PORT, database: "ferry" });

beforeAll(async () => {
  database = await startDatabase();
  running = await startConsole({
    port: PORT,
    pgPort: PG_PORT - 1, // unused: DATABASE_URL is set, so no embedded database is started
    env: { FERRY_ADMIN_EMAIL: "outage-admin@example.test", FERRY_ADMIN_PASSWORD: "outage admin password", DATABASE_URL: database.url, FERRY_SECRET_KEY: randomBytes(32).toString("base64"), FERRY_EMBEDDED_AGENT: "0", FERRY_AGENT_HEARTBEAT_SECONDS: "1", FERRY_REALTIME_ADAPTER: "postgres" },
  });
  prisma = createPrisma(database.url);
  mkdirSync(path.join(tmp.dir, "out"));
  // Each disk 64 MiB with 24 MiB of data, read at 32 Mbit/s: about 6 s each, 25 s in all.
  for (let i = 0; i < DISKS; i++) rawImage(path.join(tmp.dir, `disk${i}.img`), 64 * MiB, [[0, 24 * MiB]], 0x30 + i);
}, 180_000);

afterAll(async () => {
  if (agent && agent.child.exitCode === null && agent.child.signalCode === null) agent.child.kill("SIGKILL");
  for (const s of sources) s.stop();
  await prisma?.$disconnect();
  await running?.stop("SIGTERM");
  await database?.stop();
  tmp.cleanup();
});

type Fetched = { status: number; type: string | null; body: string };
const get = async (url: string, accept = "text/html"): Promise<Fetched> => {
  const res = await fetch(url, { headers: { accept }, redirect: "manual" });
  return { status: res.status, type: res.headers.get("content-type"), body: await res.text() };
};

describe("PostgreSQL stopped for 20 s mid-conversion", () => {
  test("pages say the database is unavailable, the agent holds its lines, and afterwards the conversion completes with every line once", async () => {
    const db = prisma!;
    const url = running!.url;
    const secret = (await createAgentToken(db, ADMIN, { name: "outage" })).secret;
    const disks = [];
    for (let i = 0; i < DISKS; i++) {
      const served = await throttledSource(path.join(tmp.dir, `disk${i}.img`), path.join(tmp.dir, `disk${i}.sock`), "32M");
      sources.push(served);
      disks.push({ name: `outage-sd${"abcd"[i]}`, source: served.url, target: path.join(tmp.dir, "out", `outage-sd${"abcd"[i]}.raw`) });
    }
    const id = await seedConversion(db, { guestName: "outage", plan: copyPlan(disks, { format: "raw", allocation: "sparse" }) });
    agent = spawnAgent(["--server", url, "--token", secret, "--name", "outage-host", "--scratch", path.join(tmp.dir, "scratch")]);
    await waitFor("the first disk's copy to be under way", async () => {
      const c = await db.conversion.findUniqueOrThrow({ where: { id } });
      const p = c.progress as { done?: number } | null;
      return c.status === "running" && (p?.done ?? 0) > 0 ? true : undefined;
    }, 60_000);

    // The database goes away.
    await db.$disconnect();
    await database!.stop();
    const down = Date.now();
    const page = await get(`${url}/conversions/${id}`);
    expect(page.status).toBe(503);
    expect(page.type).toContain("text/html");
    expect(page.body).toContain("<h1>Database unavailable</h1>");
    expect(page.body).toContain("Conversions keep running on their agents");
    expect(page.body).not.toMatch(/\bat \S+ \(|Error:|PrismaClient|ECONNREFUSED/);
    expect((await get(`${url}/sign-in`)).status).toBe(503);
    const health = await get(`${url}/api/health`, "application/json");
    expect(health.status).toBe(503);
    expect(JSON.parse(health.body)).toMatchObject({ status: "degraded", database: { reachable: false } });
    const api = await get(`${url}/api/v1/conversions`, "application/json");
    expect(api.status).toBe(503);
    expect(JSON.parse(api.body)).toEqual({ error: { code: "DATABASE_UNAVAILABLE", message: "The console's database is unavailable; try again shortly." } });

    // The agent keeps copying and keeps what it could not send.
    await waitFor("the agent to hold back log lines", () => (agent!.output().includes("could not send its log yet") ? true : undefined), OUTAGE_MS);
    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - down))));
    expect(running!.child.exitCode).toBeNull();
    expect((await get(`${url}/conversions`)).status).toBe(503);

    // Back again: same cluster, same port.
    database = await startDatabase();
    const up = Date.now();
    process.stderr.write(`database down for ${((up - down) / 1000).toFixed(1)} s\n`);
    const back = createPrisma(database.url);
    prisma = back;
    await waitFor("/api/health to answer ok", async () => ((await get(`${url}/api/health`, "application/json")).status === 200 ? true : undefined), 30_000);
    // Pages follow within the gate's one-second memory of the last probe.
    await waitFor("the sign-in page to render again", async () => ((await get(`${url}/sign-in`)).status === 200 ? true : undefined), 10_000);
    process.stderr.write(`pages answered again ${((Date.now() - up) / 1000).toFixed(1)} s after the database was back\n`);

    const done = await waitFor("the conversion to finish", async () => {
      const c = await back.conversion.findUniqueOrThrow({ where: { id } });
      return c.status === "queued" || c.status === "running" ? undefined : c;
    }, 120_000);
    process.stderr.write(`conversion finished ${((Date.now() - up) / 1000).toFixed(1)} s after the database came back\n`);
    expect(done).toMatchObject({ status: "succeeded", attempt: 1 });
    for (const d of disks) expect(qemuImgCompare(path.join(tmp.dir, `disk${disks.indexOf(d)}.img`), d.target)).toBe(0);

    const logs = await back.conversionLog.findMany({ where: { conversionId: id }, orderBy: { line: "asc" } });
    // Every line once: the agent's numbers 0..n-1 with no gap or double, the console's 1..n.
    expect(logs.map((l) => l.seq)).toEqual(logs.map((_, i) => i));
    expect(logs.map((l) => l.line)).toEqual(logs.map((_, i) => i + 1));
    const messages = logs.map((l) => l.message);
    for (const d of disks) expect(messages.filter((m) => m.startsWith(`Transferring storage volume ${d.name}:`))).toHaveLength(1);
    expect(messages.at(-1)).toBe("Finished");
    // Lines written while the database was down arrived afterwards, with their own times.
    const during = logs.filter((l) => l.at.getTime() >= down && l.at.getTime() < up);
    process.stderr.write(`${logs.length} lines stored, ${during.length} written during the outage\n`);
    expect(during.some((l) => l.message.startsWith("Transferring storage volume"))).toBe(true);
  }, 240_000);
});
