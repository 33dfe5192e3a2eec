// The console's browser-facing defences against the running console: security headers and a
// nonce CSP that Next's own scripts satisfy (checked in chromium: pages hydrate, the live view
// connects, no violation), server actions and better-auth refusing other origins, and sessions
// that expire and that an admin can revoke (pages, API and Socket.IO then refuse the cookie).
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { hashPassword } from "better-auth/crypto";
import type { Browser, Page } from "playwright-core";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ClientToServerEvents, ServerToClientEvents } from "../../server/realtime/events.ts";
import { launchBrowser } from "../helpers/browser.ts";
import { consoleQuery } from "../helpers/console-db.ts";
import { ROOT, signIn, startConsole, type ConsoleProcess } from "../helpers/console-process.ts";

const PORT = 3500;
const PG_PORT = 54500;
const EVIL = "https://evil.example";
const admin = { email: "hard-admin@example.test", password: "hardening admin password" };
const viewer = { email: "hard-viewer@example.test", password: "hardening viewer password" };
const pv = readFileSync(path.join(ROOT, "test/fixtures/domains/xen-pv-pygrub.xml"), "utf8");

let running: ConsoleProcess;
let browser: Browser;
let adminCookie: string;
let viewerId: string;
let conversionId: string;
const q = <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) => consoleQuery<T>(running.dataDir, PG_PORT, sql, params);

beforeAll(async () => {
  running = await startConsole({
    port: PORT,
    pgPort: PG_PORT,
    env: { FERRY_ADMIN_EMAIL: admin.email, FERRY_ADMIN_PASSWORD: admin.password, FERRY_EMBEDDED_AGENT: "0", FERRY_SIGNIN_ATTEMPTS_PER_MINUTE: "100" },
  });
  viewerId = randomUUID();
  await q(`INSERT INTO users (id, name, email, email_verified, role, updated_at) VALUES ($1, 'Vera', $2, true, 'viewer', now())`, [viewerId, viewer.email]);
  await q(`INSERT INTO accounts (id, account_id, provider_id, user_id, password, updated_at) VALUES ($1, $2, 'credential', $2, $3, now())`, [randomUUID(), viewerId, await hashPassword(viewer.password)]);
  adminCookie = (await signIn(running.url, admin.email, admin.password)).cookie!;
  // A dry run nobody runs (no agent): something for the live view to show.
  const created = await fetch(`${running.url}/api/v1/conversions`, {
    method: "POST",
    headers: { cookie: adminCookie, origin: running.url, "content-type": "application/json" },
    body: JSON.stringify({ source: { method: "libvirtxml", xml: pv }, output: { method: "libvirt", storage: "default" }, dryRun: true }),
  });
  expect(created.status).toBe(201);
  conversionId = ((await created.json()) as { id: string }).id;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await running?.stop("SIGTERM");
});

const FIXED = { "x-content-type-options": "nosniff", "x-frame-options": "DENY", "referrer-policy": "same-origin" };
const DIRECTIVES = ["default-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'", `connect-src 'self' ws://127.0.0.1:${PORT}`];

function policy(res: Response): Map<string, string> {
  const csp = res.headers.get("content-security-policy") ?? "";
  return new Map(csp.split(";").map((d) => d.trim()).filter(Boolean).map((d) => [d.split(" ")[0]!, d]));
}

function expectHeaders(res: Response): void {
  for (const [name, value] of Object.entries(FIXED)) expect(res.headers.get(name), name).toBe(value);
  const p = policy(res);
  for (const d of DIRECTIVES) expect(p.get(d.split(" ")[0]!), d).toBe(d);
}

describe("security headers", () => {
  test("a page's CSP carries a fresh script nonce, and every script Next writes into the page has it", async () => {
    const nonces: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${running.url}/sign-in`);
      expect(res.status).toBe(200);
      expectHeaders(res);
      const script = policy(res).get("script-src")!;
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(script)?.[1];
      expect(script).toBe(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
      const html = await res.text();
      const tags = html.match(/<script\b[^>]*>/g) ?? [];
      expect(tags.length).toBeGreaterThan(2);
      expect(tags.filter((t) => !t.includes(`nonce="${nonce}"`))).toEqual([]);
      nonces.push(nonce!);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  test("route handlers, static files and 404s carry the same headers and a policy that runs no script", async () => {
    const html = await (await fetch(`${running.url}/sign-in`)).text();
    const asset = /src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    for (const url of ["/api/health", asset!, "/api/v1/agents", "/no-such-page", `/api/conversions/${conversionId}/log`]) {
      const res = await fetch(`${running.url}${url}`, { redirect: "manual" });
      for (const [name, value] of Object.entries(FIXED)) expect(res.headers.get(name), `${url} ${name}`).toBe(value);
      const script = policy(res).get("script-src");
      if (url === "/no-such-page") expect(script, url).toMatch(/^script-src 'self' 'nonce-/);
      else expect(script, url).toBe("script-src 'none'");
      expect(policy(res).get("frame-ancestors"), url).toBe("frame-ancestors 'none'");
    }
  });

  test("in chromium: sign-in, the console pages and the live view of a conversion hydrate and run with no CSP violation", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => {
      // The console has no favicon; the browser's own request for one is not the page's doing.
      if (m.type() === "error" && !m.location().url.endsWith("/favicon.ico")) problems.push(`console: ${m.text()} (${m.location().url})`);
    });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("response", (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`);
    });
    await context.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => {
        ((window as unknown as { __violations?: string[] }).__violations ??= []).push(`${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    const violations = async (p: Page) => p.evaluate(() => (window as unknown as { __violations?: string[] }).__violations ?? []);
    const hydrated = async (p: Page) => p.evaluate(() => [...document.querySelectorAll("body *")].some((el) => Object.keys(el).some((k) => k.startsWith("__reactFiber"))));

    // The sign-in form posts through a JavaScript handler: landing on /conversions proves hydration.
    await page.goto(`${running.url}/sign-in`);
    await page.getByLabel(/^Email/).fill(admin.email);
    await page.getByLabel(/^Password/).fill(admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/conversions$/);
    for (const where of ["/conversions", "/users", "/configuration", "/software", "/agents", "/audit", "/settings/tokens"]) {
      await page.goto(`${running.url}${where}`);
      await page.waitForLoadState("networkidle");
      expect(await hydrated(page), where).toBe(true);
      expect(await violations(page), where).toEqual([]);
    }
    // The live view connects its Socket.IO websocket (connect-src) and subscribes.
    await page.goto(`${running.url}/conversions/${conversionId}`);
    await page.getByText(/^(Up to date|Live)$/).waitFor();
    expect(await violations(page)).toEqual([]);
    expect(problems).toEqual([]);

    // The policy is enforced: a connection elsewhere is blocked and reported.
    const blocked = await page.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          document.addEventListener("securitypolicyviolation", (e) => resolve(e.violatedDirective), { once: true });
          try {
            new WebSocket(url);
          } catch (e) {
            resolve(`threw ${String(e)}`);
          }
        }),
      `ws://127.0.0.1:${PORT + 1}/`,
    );
    expect(blocked).toMatch(/^connect-src|^threw .*Content Security Policy/);
    await context.close();
  });
});

type ActionManifest = { node: Record<string, { workers: Record<string, unknown>; exportedName?: string; filename?: string }> };

/** The id Next gave a server action, from the build's manifest (as the page's client code has it). */
function actionId(file: string, name: string): string {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, ".next/server/server-reference-manifest.json"), "utf8")) as ActionManifest;
  const found = Object.entries(manifest.node).filter(([, a]) => a.exportedName === name && (a.filename ?? "").endsWith(file));
  expect(found.length, `${file}#${name} in the manifest`).toBe(1);
  return found[0]![0];
}

/** Posts a `(prevState, formData)` server action the way React's client encodes the call. */
async function callAction(pagePath: string, id: string, fields: Record<string, string>, headers: Record<string, string>): Promise<Response> {
  const body = new FormData();
  // The FormData argument's entries first, then the root ("0") that refers to them, in the
  // order React's encodeReply writes them: the server resolves the root as soon as it arrives.
  for (const [k, v] of Object.entries(fields)) body.append(`_1_${k}`, v);
  body.append("0", JSON.stringify([{ ok: false }, "$K1"]));
  return fetch(`${running.url}${pagePath}`, { method: "POST", headers: { accept: "text/x-component", "next-action": id, ...headers }, body, redirect: "manual" });
}

describe("other origins are refused", () => {
  test("a server action posted with Origin: https://evil.example is refused and writes nothing; from the console's own origin it runs", async () => {
    const id = actionId("app/(console)/software/actions.ts", "createRepositoryAction");
    const repos = async () => (await q<{ name: string }>("SELECT name FROM repositories ORDER BY name")).map((r) => r.name);
    const audits = async () => Number((await q<{ n: string }>("SELECT count(*) AS n FROM audit_events"))[0]!.n);
    const before = { repos: await repos(), audits: await audits() };

    const evil = await callAction("/software", id, { name: "evil-repo" }, { cookie: adminCookie, origin: EVIL });
    expect(evil.status).toBeGreaterThanOrEqual(400);
    expect({ repos: await repos(), audits: await audits() }).toEqual(before);

    const own = await callAction("/software", id, { name: "own-repo" }, { cookie: adminCookie, origin: running.url });
    expect(own.status).toBe(200);
    expect(await own.text()).toContain("Created repository own-repo.");
    expect(await repos()).toEqual([...before.repos, "own-repo"].sort());
    expect(await audits()).toBe(before.audits + 1);
  });

  test("better-auth: sign-in and sign-out from another origin are refused (403), with or without cookies; the session survives", async () => {
    const evilSignIn = await signIn(running.url, admin.email, admin.password, { origin: EVIL });
    expect(evilSignIn).toMatchObject({ status: 403, cookie: null });
    const withCookie = await signIn(running.url, admin.email, admin.password, { origin: EVIL, cookie: adminCookie });
    expect(withCookie.status).toBe(403);
    const out = await fetch(`${running.url}/api/auth/sign-out`, { method: "POST", headers: { cookie: adminCookie, origin: EVIL, "content-type": "application/json" }, body: "{}" });
    expect(out.status).toBe(403);
    const session = await fetch(`${running.url}/api/auth/get-session`, { headers: { cookie: adminCookie } });
    expect(((await session.json()) as { user?: { email: string } } | null)?.user?.email).toBe(admin.email);
  });

  test("a Socket.IO handshake from another origin is refused even with a valid cookie", async () => {
    const s = socket(adminCookie, EVIL);
    expect(await outcome(s)).toEqual({ connected: false, error: "forbidden origin" });
    s.close();
  });
});

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
function socket(cookie: string, origin?: string): Client {
  return connect(running.url, { transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: { cookie, ...(origin ? { origin } : {}) } });
}
function outcome(s: Client): Promise<{ connected: true } | { connected: false; error: string }> {
  return new Promise((resolve) => {
    s.on("session:ready", () => resolve({ connected: true }));
    s.on("connect_error", (e) => resolve({ connected: false, error: e.message }));
  });
}

/** What a cookie gets from a page, the API and Socket.IO. */
async function refusedEverywhere(cookie: string): Promise<{ page: string | null; api: number; socket: unknown }> {
  const page = await fetch(`${running.url}/conversions`, { headers: { cookie }, redirect: "manual" });
  const api = await fetch(`${running.url}/api/v1/conversions`, { headers: { cookie } });
  const s = socket(cookie);
  const result = await outcome(s);
  s.close();
  return { page: page.headers.get("location"), api: api.status, socket: result };
}
const REFUSED = { page: "/sign-in", api: 401, socket: { connected: false, error: "unauthorized" } };

describe("sessions expire and can be revoked", () => {
  test("a session lasts 7 days (cookie and database); once past its expiry its cookie is refused by pages, API and Socket.IO", async () => {
    const res = await signIn(running.url, viewer.email, viewer.password);
    expect(res.status).toBe(200);
    const raw = await fetch(`${running.url}/api/auth/sign-in/email`, { method: "POST", headers: { "content-type": "application/json", origin: running.url }, body: JSON.stringify(viewer) });
    expect(raw.headers.getSetCookie().find((c) => c.startsWith("better-auth.session_token="))).toMatch(/Max-Age=604800;.*HttpOnly.*SameSite=Lax/i);
    const [row] = await q<{ days: string }>("SELECT extract(epoch FROM expires_at - created_at) / 86400 AS days FROM sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1", [viewerId]);
    expect(Math.round(Number(row!.days))).toBe(7);
    // Accepted while valid...
    const ok = await fetch(`${running.url}/api/v1/conversions`, { headers: { cookie: res.cookie! } });
    expect(ok.status).toBe(200);
    // ...and refused once the stored expiry has passed.
    await q("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1", [viewerId]);
    expect(await refusedEverywhere(res.cookie!)).toEqual(REFUSED);
  });

  test("an admin signs a viewer out everywhere from the Users page: the viewer's open socket is closed, their cookies are refused everywhere, the audit log has it", async () => {
    const cookies = [(await signIn(running.url, viewer.email, viewer.password)).cookie!, (await signIn(running.url, viewer.email, viewer.password)).cookie!];
    // While signed in, the viewer may watch a conversion's room.
    const watching = socket(cookies[0]!);
    expect(await outcome(watching)).toEqual({ connected: true });
    const reply = await new Promise<{ ok: boolean }>((resolve) => watching.emit("conversion:subscribe", { id: conversionId, after: 0 }, resolve));
    expect(reply.ok).toBe(true);
    const revoked = new Promise<unknown>((resolve) => watching.on("session:revoked", resolve));
    const closed = new Promise<string>((resolve) => watching.on("disconnect", resolve));

    // The two new sessions, and the expired ones of the test before if still stored.
    const sessions = (await q("SELECT id FROM sessions WHERE user_id = $1", [viewerId])).length;
    expect(sessions).toBeGreaterThanOrEqual(2);

    const context = await browser.newContext();
    await context.addCookies(adminCookie.split("; ").map((c) => ({ name: c.split("=")[0]!, value: c.slice(c.indexOf("=") + 1), url: running.url })));
    const page = await context.newPage();
    await page.goto(`${running.url}/users`);
    await page.getByRole("row").filter({ hasText: viewer.email }).getByRole("button", { name: "Sign out everywhere" }).click();
    await expect.poll(() => page.getByRole("status").allTextContents(), { timeout: 30_000 }).toContain(`Signed ${viewer.email} out everywhere (${sessions} sessions ended).`);
    await context.close();

    expect(await revoked).toEqual({ reason: "sessions-revoked" });
    expect(await closed).toBe("io server disconnect");
    for (const cookie of cookies) expect(await refusedEverywhere(cookie)).toEqual(REFUSED);
    expect(await q("SELECT id FROM sessions WHERE user_id = $1", [viewerId])).toEqual([]);
    const audit = await q<{ actor_email: string; target_id: string; before: unknown; after: unknown }>("SELECT actor_email, target_id, before, after FROM audit_events WHERE action = 'user.sessions.revoke'");
    expect(audit).toEqual([{ actor_email: admin.email, target_id: viewerId, before: { email: viewer.email, sessions }, after: { email: viewer.email, sessions: 0 } }]);
    // The admin's own session is untouched; the viewer can sign in again.
    expect((await fetch(`${running.url}/api/v1/conversions`, { headers: { cookie: adminCookie } })).status).toBe(200);
    expect((await signIn(running.url, viewer.email, viewer.password)).status).toBe(200);
  });
});
