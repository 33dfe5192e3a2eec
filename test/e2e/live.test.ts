// Watching a conversion live in real browsers: the operator starts a planned conversion, and a
// real `ferry agent --runner copy` copies a
// generated sparse image read through nbdkit's rate filter (real qemu-img, seconds long) while
// the operator's page shows lines arriving and the progress bar moving without any reload;
// a reload mid-copy shows every line exactly once; a viewer in a second browser context sees
// the same lines arrive; the operator cancels; the audit log has the records.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { hashPassword } from "better-auth/crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { launchBrowser } from "../helpers/browser.ts";
import { consoleQuery } from "../helpers/console-db.ts";
import { ROOT, startConsole, tempDataDir, type ConsoleProcess } from "../helpers/console-process.ts";
import { GiB, MiB, rawImage } from "../integration/engine/helpers.ts";

// Overridable so a second checkout can run this beside the suite.
const PORT = Number(process.env.FERRY_TEST_LIVE_PORT ?? 3270);
const PG_PORT = Number(process.env.FERRY_TEST_LIVE_PG_PORT ?? 54451);
const shots = path.join(ROOT, "test-results", "screenshots");
mkdirSync(shots, { recursive: true });
const admin = { email: "live-admin@example.test", password: "live admin password" };
const operator = { email: "live-operator@example.test", password: "live operator password" };
const viewer = { email: "live-viewer@example.test", password: "live viewer password" };

let running: ConsoleProcess;
let browser: Browser;
let page: Page;
let watcher: Page;
let conversionId: string;
const children: ChildProcess[] = [];
const work = tempDataDir("ferry-e2e-live-");

const q = <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) => consoleQuery<T>(running.dataDir, PG_PORT, sql, params);

async function addUser(who: { email: string; password: string }, role: string): Promise<void> {
  const id = randomUUID();
  await q(`INSERT INTO users (id, name, email, email_verified, role, updated_at) VALUES ($1, $2, $3, true, $4, now())`, [id, who.email.split("@")[0], who.email, role]);
  await q(`INSERT INTO accounts (id, account_id, provider_id, user_id, password, updated_at) VALUES ($1, $2, 'credential', $2, $3, now())`, [randomUUID(), id, await hashPassword(who.password)]);
}

async function signIn(p: Page, who: { email: string; password: string }): Promise<void> {
  await p.goto(`${running.url}/sign-in`);
  await p.getByLabel(/^Email/).fill(who.email);
  await p.getByLabel(/^Password/).fill(who.password);
  await p.getByRole("button", { name: "Sign in" }).click();
  await p.waitForURL(/\/conversions$/);
}

/** Every row of the windowed log, read by scrolling it from top to bottom: [line, message]. */
async function allLogRows(p: Page): Promise<[number, string][]> {
  return p.evaluate(async () => {
    const box = document.querySelector<HTMLElement>("[data-testid=log-scroll]");
    if (!box) return [];
    const seen: [number, string][] = [];
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    for (let top = 0; ; top += box.clientHeight / 2) {
      box.scrollTop = top;
      await frame();
      for (const row of box.querySelectorAll<HTMLElement>("[data-line]")) {
        seen.push([Number(row.dataset.line), row.querySelector("[data-testid=log-message]")?.textContent ?? ""]);
      }
      if (top >= box.scrollHeight) break;
    }
    // Rows seen twice are the same DOM row in two overlapping views: keep the first sighting.
    const unique = new Map<number, string>();
    for (const [n, m] of seen) if (!unique.has(n)) unique.set(n, m);
    return [...unique.entries()].sort((a, b) => a[0] - b[0]);
  });
}

/** How many times each line number is rendered in the DOM right now (a duplicate shows as 2). */
async function renderedCounts(p: Page): Promise<number[]> {
  return p.evaluate(() => [...document.querySelectorAll<HTMLElement>("[data-testid=log-scroll] [data-line]")].map((r) => Number(r.dataset.line)));
}

const storedLines = async () => (await q<{ line: number; message: string }>("SELECT line, message FROM conversion_logs WHERE conversion_id = $1 ORDER BY line", [conversionId])).map((r) => [r.line, r.message] as [number, string]);
const progressValue = async (p: Page) => Number((await p.getByRole("progressbar", { name: "copy progress" }).getAttribute("aria-valuenow")) ?? "0");

beforeAll(async () => {
  running = await startConsole({
    port: PORT,
    pgPort: PG_PORT,
    env: { FERRY_EMBEDDED_AGENT: "0", FERRY_ADMIN_EMAIL: admin.email, FERRY_ADMIN_PASSWORD: admin.password, FERRY_SIGNIN_ATTEMPTS_PER_MINUTE: "50", FERRY_AGENT_HEARTBEAT_SECONDS: "1" },
  });
  await addUser(operator, "operator");
  await addUser(viewer, "viewer");

  // The guest disk: 1 GiB virtual, 320 MiB of data, served by nbdkit at 64 Mbit/s (~40 s).
  const image = path.join(work, "guest.img");
  rawImage(image, GiB, [[0, 192 * MiB], [600 * MiB, 128 * MiB]]);
  const socket = path.join(work, "nbd.sock");
  children.push(spawn("nbdkit", ["-f", "-U", socket, "--filter=rate", "file", `file=${image}`, "rate=64M"], { stdio: "ignore" }));
  for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 100));
  mkdirSync(path.join(work, "out"));

  conversionId = randomUUID();
  const request = { source: { method: "libvirt", uri: "qemu:///system", guest: "live1" }, output: { method: "local", storage: path.join(work, "out") }, dryRun: false };
  const plan = {
    version: 1,
    output: { method: "local", storage: path.join(work, "out"), format: "qcow2", allocation: "sparse" },
    disks: [{ index: 0, name: "live1-sda", targetPath: path.join(work, "out", "live1-sda.qcow2"), source: { path: `nbd+unix:///?socket=${socket}`, format: "raw" } }],
    nics: [],
  };
  // A dry run that has planned (an agent's plan for a blank generated disk cannot come from
  // inspection): the operator reads it and presses Start in the browser.
  await q(`INSERT INTO conversions (id, guest_name, status, dry_run, request, plan, created_by_email, updated_at) VALUES ($1, 'live1', 'planned', true, $2, $3, $4, now())`, [conversionId, JSON.stringify({ ...request, dryRun: true }), JSON.stringify(plan), operator.email]);

  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  await signIn(page, operator);
}, 300_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail") await page.screenshot({ path: path.join(shots, `live-failed-${ctx.task.name.replace(/\W+/g, "-").slice(0, 50)}.png`), fullPage: true }).catch(() => undefined);
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
  await browser?.close();
  await running?.stop("SIGTERM");
});

function startAgent(secret: string): void {
  const child = spawn(process.execPath, [path.join(ROOT, "server/cli/ferry.mjs"), "agent", "--runner", "copy", "--server", running.url, "--token", secret, "--name", "live-host", "--scratch", path.join(work, "scratch")], { cwd: ROOT, stdio: "ignore" });
  children.push(child);
}

describe("watching a conversion live", () => {
  test("the operator starts the planned conversion; the open page goes running, gets its lines and a moving progress bar without a reload", async () => {
    await page.goto(`${running.url}/conversions/${conversionId}`);
    await page.getByRole("form", { name: "Conversion actions" }).getByRole("button", { name: "Start" }).click();
    await expect.poll(async () => (await q<{ status: string }>("SELECT status FROM conversions WHERE id = $1", [conversionId]))[0]!.status, { timeout: 30_000 }).toBe("queued");
    await page.getByTestId("live-state").and(page.locator("[data-state=live]")).waitFor();
    expect(await page.getByTestId("live-log").getAttribute("data-count")).toBe("0");

    const secret = `ferry_agt_${randomBytes(24).toString("base64url")}`;
    await q(`INSERT INTO agent_tokens (id, name, token_hash, prefix, created_by_email) VALUES ($1, 'live', $2, $3, $4)`, [randomUUID(), createHash("sha256").update(secret).digest("hex"), secret.slice(0, 16), admin.email]);
    startAgent(secret);

    // No reload from here on: status, lines and progress arrive over Socket.IO.
    await page.locator("[data-testid=live-progress][data-status=running]").waitFor({ timeout: 60_000 });
    await page.getByText("Transferring storage volume live1-sda: 1073741824 bytes").waitFor({ timeout: 60_000 });
    await page.locator("li[aria-current=step]", { hasText: "copy" }).waitFor();
    const first = await expect.poll(() => progressValue(page), { timeout: 60_000 }).toBeGreaterThan(0).then(() => progressValue(page));
    await expect.poll(() => progressValue(page), { timeout: 60_000 }).toBeGreaterThan(first);
    expect(await page.getByTestId("progress-text").innerText()).toMatch(/^copy live1-sda: [\d.]+ \w+ of 1\.00 GiB \(\d+%\)/);
    expect(await page.getByRole("list", { name: "Disks" }).innerText()).toContain("of 1.00 GiB");
    await page.screenshot({ path: path.join(shots, "live-copy.png"), fullPage: true });
  });

  test("a reload in the middle shows every stored line exactly once, and the page keeps following", async () => {
    const before = await progressValue(page);
    await page.reload();
    await page.getByTestId("live-state").and(page.locator("[data-state=live]")).waitFor();
    const c = await q<{ status: string }>("SELECT status FROM conversions WHERE id = $1", [conversionId]);
    expect(c[0]!.status).toBe("running"); // still mid-copy
    const rows = await allLogRows(page);
    const stored = await storedLines();
    expect(rows.slice(0, stored.length)).toEqual(stored);
    const rendered = await renderedCounts(page);
    expect(new Set(rendered).size).toBe(rendered.length);
    await expect.poll(() => progressValue(page), { timeout: 60_000 }).toBeGreaterThan(before);
  });

  test("a viewer in a second browser context sees the same lines, and a link to one line highlights it", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    watcher = await context.newPage();
    await signIn(watcher, viewer);
    await watcher.goto(`${running.url}/conversions/${conversionId}#line-1`);
    await watcher.getByTestId("live-state").and(watcher.locator("[data-state=live]")).waitFor();
    expect(await watcher.getByRole("form", { name: "Conversion actions" }).count()).toBe(0);
    expect(await watcher.getByTestId("linked-line").innerText()).toMatch(/^Line 1 \(/);
    expect(await allLogRows(watcher)).toEqual(await allLogRows(page));
  });

  test("the operator cancels: both pages show it cancelled and the viewer gets the new lines live; the audit log has it", async () => {
    const lastBefore = Number(await watcher.getByTestId("live-log").getAttribute("data-last"));
    const actions = page.getByRole("form", { name: "Conversion actions" });
    await actions.getByRole("button", { name: "Cancel" }).click();
    await watcher.locator("[data-testid=live-progress][data-status=cancelled]").waitFor({ timeout: 60_000 });
    await page.locator("[data-testid=live-progress][data-status=cancelled]").waitFor({ timeout: 60_000 });
    await watcher.getByText(/Copy cancelled: removed the partial volume live1-sda/).waitFor({ timeout: 30_000 });
    const stored = await storedLines();
    expect(stored.length).toBeGreaterThan(lastBefore);
    // Both browsers hold exactly the stored lines: the viewer's came live, after its load.
    await expect.poll(async () => (await allLogRows(watcher)).length, { timeout: 20_000 }).toBe(stored.length);
    expect(await allLogRows(watcher)).toEqual(stored);
    expect(await allLogRows(page)).toEqual(stored);
    await watcher.screenshot({ path: path.join(shots, "live-viewer-cancelled.png"), fullPage: true });

    const audit = await q<{ action: string; actor_email: string }>("SELECT action, actor_email FROM audit_events WHERE target_id = $1 ORDER BY id", [conversionId]);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["conversion.start", "conversion.cancel-request"]));
    expect(audit.every((a) => a.actor_email === operator.email)).toBe(true);
    const adminPage = await (await browser.newContext()).newPage();
    await signIn(adminPage, admin);
    await adminPage.goto(`${running.url}/audit`);
    const record = adminPage.getByRole("row", { name: /conversion\.cancel-request/ });
    await record.waitFor();
    expect(await record.innerText()).toContain(operator.email);
  });

  test("the whole log downloads as text, in order, for a viewer", async () => {
    const res = await watcher.request.get(`${running.url}/api/conversions/${conversionId}/log`);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-disposition"]).toMatch(/^attachment; filename="conversion-\d+-live1\.log"$/);
    const text = await res.text();
    const lines = text.trimEnd().split("\n");
    expect(lines.map((l) => l.replace(/^\S+ \w+ +\[\w[\w-]*\] /, ""))).toEqual((await storedLines()).map(([, m]) => m));
    const anonymous = await fetch(`${running.url}/api/conversions/${conversionId}/log`);
    expect(anonymous.status).toBe(401);
  });
});
