// Sign-in rate limiting and Socket.IO authentication against the running console.
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ClientToServerEvents, ServerToClientEvents } from "../../server/realtime/events.ts";
import { signIn, startConsole, type ConsoleProcess } from "../helpers/console-process.ts";

const admin = { email: "sec-admin@example.test", password: "another long password" };
let running: ConsoleProcess;
let adminCookie: string;

beforeAll(async () => {
  running = await startConsole({ port: 3212, pgPort: 54342, env: { FERRY_ADMIN_EMAIL: admin.email, FERRY_ADMIN_PASSWORD: admin.password, FERRY_SIGNIN_ATTEMPTS_PER_MINUTE: "5" } });
  // One successful sign-in: it counts toward this address's 5 attempts a minute.
  const first = await signIn(running.url, admin.email, admin.password);
  expect(first.status).toBe(200);
  adminCookie = first.cookie!;
});
afterAll(async () => {
  await running?.stop("SIGTERM");
});

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

function socket(cookie?: string): Client {
  return connect(running.url, { transports: ["websocket"], reconnection: false, extraHeaders: cookie ? { cookie } : {} });
}

function outcome(s: Client): Promise<{ connected: true; ready: Parameters<ServerToClientEvents["session:ready"]>[0] } | { connected: false; error: string }> {
  return new Promise((resolve) => {
    s.on("session:ready", (ready) => resolve({ connected: true, ready }));
    s.on("connect_error", (e) => resolve({ connected: false, error: e.message }));
  });
}

describe("realtime connections need a session", () => {
  test("no cookie: refused", async () => {
    const s = socket();
    expect(await outcome(s)).toEqual({ connected: false, error: "unauthorized" });
    s.close();
  });

  test("a forged cookie: refused", async () => {
    const s = socket("better-auth.session_token=forged.value");
    expect(await outcome(s)).toEqual({ connected: false, error: "unauthorized" });
    s.close();
  });

  test("a signed-in user's cookie: accepted, told who they are, answers pings; after sign-out the cookie is refused", async () => {
    const cookie = adminCookie;
    const s = socket(cookie);
    const result = await outcome(s);
    expect(result.connected).toBe(true);
    if (result.connected) expect(result.ready.user).toMatchObject({ email: admin.email, role: "admin" });
    const pong = await new Promise<{ serverTime: string }>((resolve) => s.emit("ping", resolve));
    expect(Date.parse(pong.serverTime)).not.toBeNaN();
    s.close();

    const out = await fetch(`${running.url}/api/auth/sign-out`, { method: "POST", headers: { cookie: cookie!, origin: running.url, "content-type": "application/json" }, body: "{}" });
    expect(out.status).toBe(200);
    const again = socket(cookie!);
    expect(await outcome(again)).toEqual({ connected: false, error: "unauthorized" });
    again.close();
  });
});

describe("failed sign-ins are rate-limited", () => {
  test("5 attempts a minute from one address (1 success, 4 failures); the 6th gets 429 even with the right password", async () => {
    const email = "nobody@example.test";
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await signIn(running.url, email, `wrong-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401]);
    expect((await signIn(running.url, admin.email, admin.password)).status).toBe(429);
  });

  test("a forged X-Forwarded-For does not buy more attempts", async () => {
    const res = await signIn(running.url, admin.email, admin.password, { "x-forwarded-for": "203.0.113.77", "x-ferry-client-ip": "203.0.113.78" });
    expect(res.status).toBe(429);
  });
});
