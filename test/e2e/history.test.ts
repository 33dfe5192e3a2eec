// History, dashboard and audit in a real browser against generated data: the dashboard draws
// its charts from the seeded conversions (server-rendered SVG), lists what runs and the agents'
// load, and groups failures with links; the conversions list filters through its URL and pages
// on; an admin downloads the audit log; a viewer is refused it. No agent runs.
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { hashPassword } from "better-auth/crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createPrisma, type Db } from "../../server/db/client.ts";
import { launchBrowser, signInPage } from "../helpers/browser.ts";
import { ROOT, startConsole, type ConsoleProcess } from "../helpers/console-process.ts";
import { seedHistory } from "../integration/history/seed.ts";

const PORT = 3280;
const PG_PORT = 54461;
const shots = path.join(ROOT, "test-results", "screenshots");
mkdirSync(shots, { recursive: true });

const admin = { email: "hist-admin@example.test", password: "history admin password" };
const viewer = { email: "hist-viewer@example.test", password: "history viewer password" };

let running: ConsoleProcess;
let browser: Browser;
let page: Page;
let prisma: Db;
const today = new Date().toISOString().slice(0, 10);

async function addUser(who: { email: string; password: string }, role: string): Promise<void> {
  const id = randomUUID();
  await prisma.$executeRawUnsafe(`INSERT INTO users (id, name, email, email_verified, role, updated_at) VALUES ($1, $2, $3, true, $4, now())`, id, role, who.email, role);
  await prisma.$executeRawUnsafe(`INSERT INTO accounts (id, account_id, provider_id, user_id, password, updated_at) VALUES ($1, $2, 'credential', $2, $3, now())`, randomUUID(), id, await hashPassword(who.password));
}

beforeAll(async () => {
  running = await startConsole({ port: PORT, pgPort: PG_PORT, env: { FERRY_ADMIN_EMAIL: admin.email, FERRY_ADMIN_PASSWORD: admin.password, FERRY_SIGNIN_ATTEMPTS_PER_MINUTE: "50", FERRY_EMBEDDED_AGENT: "0" } });
  const creds = JSON.parse(readFileSync(path.join(running.dataDir, "postgres-credentials.json"), "utf8")) as { user: string; password: string };
  prisma = createPrisma(`postgresql://${encodeURIComponent(creds.user)}:${encodeURIComponent(creds.password)}@127.0.0.1:${PG_PORT}/ferry`);
  await addUser(viewer, "viewer");
  // 400 conversions over the last 12 days, ending now; one agent running one of them.
  await seedHistory(prisma, { count: 400, now: new Date(), spanDays: 12, prefix: "e" });
  await prisma.agent.create({ data: { id: "agent-e2e", name: "conv-host-1", kind: "remote", concurrency: 2, lastHeartbeatAt: new Date(Date.now() + 3_600_000) } });
  await prisma.$executeRawUnsafe(`UPDATE conversions SET status = 'cancelled', finished_at = now() WHERE status = 'running' AND id <> 'e-19'`);
  await prisma.conversion.update({ where: { id: "e-19" }, data: { agentId: "agent-e2e", progress: { stage: "copy", done: 3 * 1024 ** 3, total: 8 * 1024 ** 3, unit: "bytes", item: "sda" } } });
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true })).newPage();
  await signInPage(page, running.url, admin);
});
afterAll(async () => {
  await browser?.close();
  await prisma?.$disconnect();
  await running?.stop("SIGTERM");
});

describe("the dashboard", () => {
  test("shows what runs with its progress, the agent's load, and charts drawn from the seeded conversions", async () => {
    await page.getByRole("link", { name: "Dashboard" }).click();
    await page.waitForURL(`${running.url}/`);
    const e19 = await prisma.conversion.findUniqueOrThrow({ where: { id: "e-19" } });
    const runningNow = page.locator("[data-section=running]");
    await runningNow.getByRole("link", { name: `#${e19.number} ${e19.guestName}` }).waitFor();
    expect(await runningNow.getByRole("progressbar").getAttribute("aria-valuenow")).toBe(String(3 * 1024 ** 3));
    expect(await runningNow.textContent()).toContain("copy sda: 3.00 GiB of 8.00 GiB (37%)");
    const agent = page.locator("[data-agent=conv-host-1]");
    expect((await agent.textContent())?.replace(/\s+/g, " ")).toContain("1 / 2");

    for (const id of ["outcomes", "duration", "bytes", "failures"]) {
      const chart = page.locator(`[data-chart=${id}] svg`).first();
      await chart.waitFor();
      // Bars or lines: drawn paths beyond the axes.
      expect(await chart.locator("path").count()).toBeGreaterThan(5);
    }
    // The outcome chart's numbers are the rows': today's column in its table.
    const rows = await prisma.conversion.findMany({ where: { finishedAt: { gte: new Date(`${today}T00:00:00Z`) } }, select: { status: true } });
    const todayRow = page.locator("[data-chart=outcomes] table tr", { has: page.locator(`th:text-is("${today}")`) });
    expect((await todayRow.locator("td").allTextContents()).map(Number)).toEqual(["succeeded", "failed", "cancelled", "interrupted", "planned"].map((s) => rows.filter((r) => r.status === s).length));
    await page.screenshot({ path: path.join(shots, "history-dashboard.png"), fullPage: true });
  });

  test("failures are grouped by cause, each linking its conversions", async () => {
    const groups = page.locator("[data-failure-group]");
    expect(await groups.count()).toBe(5);
    const domain = groups.filter({ hasText: "Domain <name> already exists on the target." });
    const failed = await prisma.conversion.count({ where: { status: "failed", error: { endsWith: "already exists on the target." } } });
    expect(await domain.textContent()).toContain(`${failed} failures`);
    const first = domain.getByRole("link").first();
    const href = (await first.getAttribute("href"))!;
    await first.click();
    await page.waitForURL(`${running.url}${href}`);
    expect(href).toMatch(/^\/conversions\/e-\d+$/);
  });
});

describe("the conversions list", () => {
  test("filters come from the URL; the form writes them there; pages follow on", async () => {
    await page.goto(`${running.url}/conversions?status=failed&user=bob%40example.test&guest=MAIL`);
    const expected = await prisma.conversion.count({ where: { status: "failed", createdByEmail: "bob@example.test", guestName: { contains: "mail", mode: "insensitive" } } });
    expect(expected).toBeGreaterThan(0);
    await page.getByRole("table", { name: `Conversions (${expected} matching)` }).waitFor();
    const rows = page.locator("tbody tr");
    expect(await rows.count()).toBe(Math.min(50, expected));
    for (const text of await rows.allTextContents()) {
      expect(text).toContain("bob@example.test");
      expect(text.toLowerCase()).toContain("mail-");
    }
    expect(await page.getByLabel("Started by").inputValue()).toBe("bob@example.test");

    await page.goto(`${running.url}/conversions`);
    await page.getByLabel("Profile").selectOption("lab");
    await page.getByLabel("Order").selectOption("guest:asc");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/profile=lab/);
    expect(new URL(page.url()).searchParams.get("order")).toBe("guest:asc");
    const lab = await prisma.conversion.findMany({ where: { profile: "lab" }, orderBy: [{ guestName: "asc" }, { number: "asc" }], select: { number: true } });
    const numbers = async () => (await page.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute("data-conversion")))));
    expect(await numbers()).toEqual(lab.slice(0, 50).map((r) => r.number));
    await page.getByRole("link", { name: "Next page" }).click();
    await page.waitForURL(/after=/);
    expect(await numbers()).toEqual(lab.slice(50, 100).map((r) => r.number));
    await page.getByRole("link", { name: "Previous page" }).click();
    await page.waitForURL(/before=/);
    expect(await numbers()).toEqual(lab.slice(0, 50).map((r) => r.number));
    // Each row opens its conversion.
    const firstLink = page.locator("tbody tr").first().getByRole("link").first();
    const href = await firstLink.getAttribute("href");
    expect(href).toMatch(/^\/conversions\/e-\d+$/);
  });
});

describe("the audit log", () => {
  test("records link the conversion they concern; an admin downloads a CSV of a date range", async () => {
    const c = await prisma.conversion.findUniqueOrThrow({ where: { id: "e-13" } });
    await prisma.$executeRawUnsafe(`INSERT INTO audit_events (actor_email, action, target_type, target_id, before, after) VALUES ('hist-admin@example.test', 'conversion.retry', 'conversion', 'e-13', '{"status":"failed"}', '{"status":"queued"}')`);
    await page.goto(`${running.url}/audit`);
    const link = page.getByRole("link", { name: `#${c.number} ${c.guestName}` }).first();
    expect(await link.getAttribute("href")).toBe("/conversions/e-13");

    await page.getByLabel("Export from (UTC)").fill(today);
    await page.getByLabel("to (UTC)", { exact: true }).fill(today);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export" }).click()]);
    expect(download.suggestedFilename()).toBe(`ferry-audit-${today}-to-${today}.csv`);
    const text = readFileSync((await download.path())!, "utf8");
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toBe("id,at,actor_email,actor_id,action,target_type,target_id,ip,before,after");
    expect(lines.some((l) => l.includes(",conversion.retry,conversion,e-13,"))).toBe(true);
    const stored = await prisma.auditEvent.count({ where: { at: { gte: new Date(`${today}T00:00:00Z`) } } });
    // The export records itself before it reads: the file holds every record, its own included.
    expect(lines.length - 1).toBe(stored);
  });

  test("a viewer is refused the export and the audit page", async () => {
    const context = await browser.newContext();
    const p = await context.newPage();
    await signInPage(p, running.url, viewer);
    const res = await p.request.get(`${running.url}/api/audit/export?format=json&from=${today}&to=${today}`);
    expect(res.status()).toBe(403);
    expect(await res.json()).toEqual({ error: { code: "FORBIDDEN", message: "Your role (viewer) does not allow this (audit:read)." } });
    const audit = await p.goto(`${running.url}/audit`);
    expect(audit?.status()).toBe(403);
    await context.close();
  });
});
