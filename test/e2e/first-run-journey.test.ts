// A newcomer's first minutes, in a real browser: first-run setup creates the admin, the admin
// creates a viewer, the audit log shows both; the viewer cannot reach the Users page, and
// calling its actions directly with a viewer's session is refused.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchBrowser } from "../helpers/browser.ts";
import { consoleQuery } from "../helpers/console-db.ts";
import { ROOT, signIn, startConsole, type ConsoleProcess } from "../helpers/console-process.ts";

const PG_PORT = 54343;
const shots = path.join(ROOT, "test-results", "screenshots");
mkdirSync(shots, { recursive: true });

let running: ConsoleProcess;
let browser: Browser;
let adminPage: Page;

const admin = { name: "Ada Admin", email: "ada@example.test", password: "ada's long password" };
const viewer = { name: "Victor Viewer", email: "victor@example.test", password: "victor's password" };

beforeAll(async () => {
  running = await startConsole({ port: 3213, pgPort: PG_PORT });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await running?.stop("SIGTERM");
});

async function users(): Promise<{ email: string; role: string }[]> {
  return consoleQuery(running.dataDir, PG_PORT, "SELECT email, role FROM users ORDER BY created_at");
}

describe("first run", () => {
  test("the first visit offers setup, which creates the admin and signs them in", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    adminPage = await context.newPage();
    await adminPage.goto(running.url);
    await adminPage.waitForURL(/\/setup$/);
    await adminPage.screenshot({ path: path.join(shots, "setup.png") });

    await adminPage.getByLabel(/^Name/).fill(admin.name);
    await adminPage.getByLabel(/^Email/).fill(admin.email);
    await adminPage.getByLabel(/^Password/).fill(admin.password);
    await adminPage.getByLabel(/^Confirm password/).fill(admin.password);
    await adminPage.getByRole("button", { name: "Create admin and sign in" }).click();

    await adminPage.waitForURL(/\/conversions$/);
    await expect(adminPage.getByRole("heading", { name: "Conversions", level: 1 }).isVisible()).resolves.toBe(true);
    await expect(adminPage.getByText(admin.email).first().isVisible()).resolves.toBe(true);
    await adminPage.screenshot({ path: path.join(shots, "conversions-empty.png") });
    expect(await users()).toEqual([{ email: admin.email, role: "admin" }]);
  });

  test("setup is gone once an admin exists", async () => {
    const res = await fetch(`${running.url}/setup`, { redirect: "manual" });
    expect(res.status).toBe(307);
    expect(res.headers.get("location")).toMatch(/\/sign-in$/);
  });

  test("the admin creates a viewer from the Users page", async () => {
    await adminPage.getByRole("link", { name: "Users" }).click();
    await adminPage.waitForURL(/\/users$/);
    const form = adminPage.locator("form", { has: adminPage.getByRole("button", { name: "Create user" }) });
    await form.getByLabel(/^Name/).fill(viewer.name);
    await form.getByLabel(/^Email/).fill(viewer.email);
    await form.getByLabel(/^Role/).selectOption("viewer");
    await form.getByLabel(/^Initial password/).fill(viewer.password);
    await form.getByRole("button", { name: "Create user" }).click();
    await adminPage.getByText(`Created ${viewer.email} (viewer)`).waitFor();
    await adminPage.getByRole("cell", { name: viewer.email }).waitFor();
    await adminPage.screenshot({ path: path.join(shots, "users.png"), fullPage: true });
    expect(await users()).toEqual([
      { email: admin.email, role: "admin" },
      { email: viewer.email, role: "viewer" },
    ]);
  });

  test("the audit page lists both records, newest first", async () => {
    await adminPage.getByRole("link", { name: "Audit" }).click();
    await adminPage.waitForURL(/\/audit$/);
    // The vendor configuration seeded at first start is audited too; the users' records are ours.
    const rows = adminPage.locator("tbody tr", { hasText: "user.create" });
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);
    const newest = await rows.nth(0).innerText();
    const oldest = await rows.nth(1).innerText();
    expect(newest).toContain(viewer.email);
    expect(newest).toContain(admin.email);
    expect(oldest).toContain(admin.email);
    expect(oldest).not.toContain(viewer.email);
    await adminPage.screenshot({ path: path.join(shots, "audit.png"), fullPage: true });

    await adminPage.getByLabel("Actor").fill("nobody-matches");
    await adminPage.getByRole("button", { name: "Filter" }).click();
    await adminPage.getByText("No audit records match these filters.").waitFor();
  });
});

describe("a viewer", () => {
  test("signs in, sees no Users link, and gets 403 at /users", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${running.url}/users`);
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel(/^Email/).fill(viewer.email);
    await page.getByLabel(/^Password/).fill(viewer.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/conversions$/);
    expect(await page.getByRole("link", { name: "Users" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Audit" }).count()).toBe(0);

    const response = await page.goto(`${running.url}/users`);
    expect(response?.status()).toBe(403);
    await page.getByText("You don't have access to this page").waitFor();
    expect(await page.getByText(admin.email).count()).toBe(0);
    await page.screenshot({ path: path.join(shots, "viewer-forbidden.png") });

    await page.goto(`${running.url}/conversions`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in$/);
    await context.close();
  });

  test("calling the Users page's actions directly with a viewer's session is refused", async () => {
    const { cookie } = await signIn(running.url, viewer.email, viewer.password);
    const pair = cookie!.split(";")[0]!;
    const name = pair.slice(0, pair.indexOf("="));
    const value = pair.slice(pair.indexOf("=") + 1);
    // The admin's already-rendered Users page, now carrying the viewer's session cookie:
    // submitting its forms invokes the server actions as the viewer.
    await adminPage.goto(`${running.url}/users`);
    await adminPage.context().clearCookies();
    await adminPage.context().addCookies([{ name, value, url: running.url }]);

    const form = adminPage.locator("form", { has: adminPage.getByRole("button", { name: "Create user" }) });
    await form.getByLabel(/^Name/).fill("Mallory");
    await form.getByLabel(/^Email/).fill("mallory@example.test");
    await form.getByLabel(/^Role/).selectOption("admin");
    await form.getByLabel(/^Initial password/).fill("mallory's password");
    await form.getByRole("button", { name: "Create user" }).click();
    await adminPage.getByText("Your role (viewer) does not allow this (user:create).").waitFor();

    const roleForm = adminPage.locator("tr", { hasText: viewer.email }).locator("form");
    await roleForm.getByRole("combobox").selectOption("admin");
    await roleForm.getByRole("button", { name: "Save" }).click();
    await adminPage.getByText("Your role (viewer) does not allow this (user:update-role).").waitFor();

    expect(await users()).toEqual([
      { email: admin.email, role: "admin" },
      { email: viewer.email, role: "viewer" },
    ]);
    const audit = await consoleQuery<{ n: string }>(running.dataDir, PG_PORT, "SELECT count(*) AS n FROM audit_events WHERE action LIKE 'user.%'");
    expect(Number(audit[0]?.n)).toBe(2);
  });
});
