// The database gate in front of Next: what each kind of request gets while the database is
// down (served by a real node:http server; the probe is the one thing the test decides).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createDatabaseGate, type DatabaseGate } from "../../../server/http/database-gate.ts";

let up = true;
let probes = 0;
let server: Server;
let base: string;
let gate: DatabaseGate;

beforeAll(async () => {
  gate = createDatabaseGate(async () => {
    probes++;
    return up ? { reachable: true } : { reachable: false, error: "connect ECONNREFUSED 127.0.0.1:5432" };
  });
  server = createServer((req, res) => void gate(req, res).then((answered) => (answered ? undefined : res.writeHead(200, { "content-type": "text/plain" }).end("next"))));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const get = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(`${base}${path}`, init);
  return { status: res.status, type: res.headers.get("content-type"), retry: res.headers.get("retry-after"), body: await res.text() };
};

describe("createDatabaseGate", () => {
  test("passes everything to Next while the database answers, asking it at most once a second", async () => {
    up = true;
    await new Promise((r) => setTimeout(r, 1100)); // whatever an earlier answer was, it is stale now
    const before = probes;
    expect((await get("/conversions", { headers: { accept: "text/html" } })).body).toBe("next");
    expect((await get("/api/v1/conversions")).body).toBe("next");
    expect((await get("/api/agent/logs", { method: "POST", body: "{}" })).body).toBe("next");
    expect(probes - before).toBe(1);
  });

  test("a lost connection: the very next request asks the database first and gets the 503", async () => {
    up = true;
    await get("/conversions");
    const before = probes;
    up = false;
    gate.suspect();
    const page = await get("/conversions", { headers: { accept: "text/html" } });
    expect(page.status).toBe(503);
    expect(probes - before).toBe(1);
    up = true;
    await new Promise((r) => setTimeout(r, 1100));
    expect((await get("/conversions")).body).toBe("next");
  });

  test("while it is down: pages get the HTML page, API and actions JSON, all 503; health and static files pass", async () => {
    up = false;
    gate.suspect(); // as the pool reports when PostgreSQL stops
    const page = await get("/conversions/42", { headers: { accept: "text/html,application/xhtml+xml" } });
    expect(page).toMatchObject({ status: 503, retry: "5" });
    expect(page.type).toBe("text/html; charset=utf-8");
    expect(page.body).toContain("<h1>Database unavailable</h1>");
    expect(page.body).not.toContain("ECONNREFUSED");
    const api = await get("/api/agent/logs", { method: "POST", body: "{}" });
    expect(api.status).toBe(503);
    expect(JSON.parse(api.body)).toEqual({ error: { code: "DATABASE_UNAVAILABLE", message: "The console's database is unavailable; try again shortly." } });
    const action = await get("/profiles", { method: "POST", headers: { accept: "text/x-component", "next-action": "abc" }, body: "[]" });
    expect(action.status).toBe(503);
    expect(action.type).toBe("application/json");
    expect((await get("/api/health")).body).toBe("next");
    expect((await get("/_next/static/chunks/main.js")).body).toBe("next");
  });

  test("'down' is remembered for a second, then probed again", async () => {
    up = false;
    gate.suspect();
    await get("/conversions");
    const before = probes;
    up = true;
    expect((await get("/conversions")).status).toBe(503);
    expect(probes).toBe(before);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await get("/conversions")).body).toBe("next");
  });
});
