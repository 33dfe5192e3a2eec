// The API tokens page in a real browser: a viewer creates a read-only token (the secret shown
// once, then only its prefix), uses it against /api/v1 (reads pass, a change is refused), and
// revokes it from the page; the revoked token is refused from the next request.
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { hashPassword } from "better-auth/crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchBrowser, signInPage } from "../helpers/browser.ts";
import { consoleQuery } from "../helpers/console-db.ts";
import { ROOT, startConsole, type ConsoleProcess } from "../helpers/console-process.ts";

const PORT = 3291;
const PG_PORT = 54472;
const shots = path.join(ROOT, "test-results", "screenshots");
mkdirSync(shots, { recursive: true });
const admin = { email: "tok-admin@example.test", password: "tokens admin password" };
const viewer = { email: "tok-viewer@example.test", password: "tokens viewer password" };
let running: ConsoleProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  running = await startConsole({ port: PORT, pgPort: PG_PORT, env: { FERRY_ADMIN_EMAIL: admin.email, FERRY_ADMIN_PASSWORD: admin.password, FERRY_EMBEDDED_AGENT: "0" } });
  const id = randomUUID();
  const q = (sql: string, params: unknown[]) => consoleQuery(running.dataDir, PG_PORT, sql, params);
  await q(`INSERT INTO users (id, name, email, email_verified, role, updated_at) VALUES ($1, 'Vera', $2, true, 'viewer', now())`, [id, viewer.email]);
  await q(`INSERT INTO accounts (id, account_id, provider_id, user_id, password, updated_at) VALUES ($1, $2, 'credential', $2, $3, now())`, [randomUUID(), id, await hashPassword(viewer.password)]);
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
});

const api = (route: string, token: string, method = "GET") => fetch(`${running.url}/api/v1${route}`, { method, headers: { authorization: `Bearer ${token}` } });

describe("API tokens page", () => {
  test("a viewer creates a read-only token, uses it, and revokes it", async () => {
    await signInPage(page, running.url, viewer);
    await page.getByRole("link", { name: "API tokens" }).click();
    await page.waitForURL(/\/settings\/tokens$/);
    await page.getByText("No tokens yet.").waitFor();

    await page.getByLabel(/^Name/).fill("dashboards");
    await page.getByLabel(/^Expires after/).fill("7");
    await page.getByLabel("Read-only").check();
    await page.getByRole("button", { name: "Create token" }).click();
    const secret = (await page.getByTestId("api-token-secret").textContent())!.trim();
    expect(secret).toMatch(/^ferry_pat_/);
    await page.getByText("Created the token dashboards. Copy it now: it is not shown again.").waitFor();
    const row = page.getByRole("row", { name: /dashboards/ });
    await row.getByText("read-only").waitFor();
    await row.getByText(`${secret.slice(0, 16)}…`).waitFor();
    await page.screenshot({ path: path.join(shots, "api-tokens.png"), fullPage: true });

    expect((await api("/conversions", secret)).status).toBe(200);
    // Viewers may revoke their own tokens, but not with a read-only token.
    const refused = await api("/tokens/x", secret, "DELETE");
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe("This API token is read-only: it may not DELETE /tokens/{id}.");

    await page.reload();
    expect(await page.getByTestId("api-token-secret").count()).toBe(0);
    await page.getByRole("button", { name: "Revoke dashboards" }).click();
    await page.getByText("Revoked dashboards: scripts using it are refused from their next request.").waitFor();
    const after = await api("/conversions", secret);
    expect(after.status).toBe(401);
    const audit = await consoleQuery<{ action: string }>(running.dataDir, PG_PORT, `SELECT action FROM audit_events WHERE target_type = 'api-token' ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(["api-token.create", "api-token.use", "api-token.revoke"]);
  });
});
