// Conversions in a real browser: an operator fills the new-conversion form with a fixture
// domain XML, sees field errors for a broken XML and a bad network mapping, queues a dry run
// that appears in the list; once the row holds a plan (written here as an agent would), the
// detail page shows it and Start turns it into a run; a queued one is cancelled; a viewer
// sees everything and no buttons. No agent runs (FERRY_EMBEDDED_AGENT=0): the test plays it.
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { hashPassword } from "better-auth/crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchBrowser, signInPage } from "../helpers/browser.ts";
import { consoleQuery } from "../helpers/console-db.ts";
import { ROOT, startConsole, type ConsoleProcess } from "../helpers/console-process.ts";

const PORT = 3260;
const PG_PORT = 54411;
const shots = path.join(ROOT, "test-results", "screenshots");
mkdirSync(shots, { recursive: true });

const admin = { email: "conv-admin@example.test", password: "conversions admin password" };
const operator = { email: "conv-operator@example.test", password: "conversions operator password" };
const viewer = { email: "conv-viewer@example.test", password: "conversions viewer password" };
const hvmXml = readFileSync(path.join(ROOT, "test/fixtures/domains/xen-hvm.xml"));

let running: ConsoleProcess;
let browser: Browser;
let page: Page;

async function q<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return consoleQuery<T>(running.dataDir, PG_PORT, sql, params);
}

async function addUser(who: { email: string; password: string }, role: string): Promise<void> {
  const id = randomUUID();
  await q(`INSERT INTO users (id, name, email, email_verified, role, updated_at) VALUES ($1, $2, $3, true, $4, now())`, [id, role, who.email, role]);
  await q(`INSERT INTO accounts (id, account_id, provider_id, user_id, password, updated_at) VALUES ($1, $2, 'credential', $2, $3, now())`, [randomUUID(), id, await hashPassword(who.password)]);
}

/** A field's error text, whitespace as a reader sees it. */
async function fieldError(p: Page, id: string): Promise<string> {
  const text = await p.locator(`#${id}-error`).textContent();
  return (text ?? "").replace(/\s+/g, " ").trim();
}

/** The plan an agent stores after a dry run of XenGuest2 (a Xen HVM guest) to a libvirt pool. */
const plan = {
  version: 1,
  guest: { name: "XenGuest2", sourceType: "xen", memoryKiB: 592896, vcpus: 1, arch: "x86_64", facts: { os: "linux", distro: "rhel", major: "5", minor: "4", arch: "x86_64", packages: [] } },
  output: { method: "libvirt", storage: "default", format: "qcow2", allocation: "sparse" },
  disks: [
    {
      index: 0,
      source: { path: "/dev/HostVG/XenGuest2", target: "hda", bus: "ide", format: "raw", virtualSize: 8 * 1024 ** 3 },
      name: "XenGuest2-sda",
      targetPath: "/var/lib/libvirt/images/XenGuest2-sda",
      targetDev: "vda",
      bus: "virtio",
      format: "qcow2",
      allocation: "sparse",
    },
  ],
  nics: [{ mac: "00:16:3e:66:92:9c", from: { type: "bridge", name: "xenbr1" }, to: { type: "bridge", name: "br0" }, rule: "cli-mapping", model: "virtio" }],
  drivers: { block: "virtio", net: "virtio", reason: "the virtio capability is satisfied by kernel 2.6.18-164.el5" },
  software: null,
  transferIso: { entries: [], skipped: [], conflicts: [] },
  domainXml: "<domain type='kvm'>\n  <name>XenGuest2</name>\n  <devices>\n    <interface type='bridge'><source bridge='br0'/><model type='virtio'/></interface>\n  </devices>\n</domain>",
  warnings: ["The guest's CD-ROM /root/boot.iso is not copied."],
};

beforeAll(async () => {
  running = await startConsole({ port: PORT, pgPort: PG_PORT, env: { FERRY_ADMIN_EMAIL: admin.email, FERRY_ADMIN_PASSWORD: admin.password, FERRY_SIGNIN_ATTEMPTS_PER_MINUTE: "50", FERRY_EMBEDDED_AGENT: "0" } });
  await addUser(operator, "operator");
  await addUser(viewer, "viewer");
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  await signInPage(page, running.url, operator);
});
afterAll(async () => {
  await browser?.close();
  await running?.stop("SIGTERM");
});

describe("an operator", () => {
  test("opens the form from the empty list; a broken XML and a bad network mapping are shown under their fields and nothing is queued", async () => {
    await page.getByText("No conversions yet").waitFor();
    await page.getByRole("link", { name: "New conversion" }).first().click();
    await page.waitForURL(/\/conversions\/new$/);
    const form = page.getByRole("form", { name: "New conversion" });
    await form.locator("#source-xml").fill("<domain type='xen'>\n  <name>broken</name>\n  <memory>1024\n</domain>");
    await form.locator("#output-storage").fill("default");
    await form.getByRole("button", { name: "Add network mapping" }).click();
    await form.getByRole("button", { name: "Add network mapping" }).click();
    await form.locator("#network-0").fill("xenbr1:br0");
    await form.locator("#network-1").fill("xenbr1:br1");
    await form.getByRole("button", { name: "Dry run" }).click();
    await page.locator("#source-xml-error").waitFor();
    expect(await fieldError(page, "source-xml")).toMatch(/^domain\.xml:\d+:\d+: /);
    expect(await fieldError(page, "network-1")).toBe("duplicate -n/--network parameter. Duplicate mappings specified for network xenbr1.");
    expect(await form.locator("#source-xml").getAttribute("aria-invalid")).toBe("true");
    expect(await q("SELECT count(*)::int AS n FROM conversions")).toEqual([{ n: 0 }]);
    await page.screenshot({ path: path.join(shots, "conversion-new-errors.png"), fullPage: true });
  });

  test("uploads a fixture domain XML, fixes the mapping and queues a dry run that the list shows as queued", async () => {
    const form = page.getByRole("form", { name: "New conversion" });
    await form.locator("#source-file").setInputFiles({ name: "xen-hvm.xml", mimeType: "text/xml", buffer: hvmXml });
    await expect.poll(() => form.locator("#source-xml").inputValue(), { timeout: 30_000 }).toContain("<name>XenGuest2</name>");
    await form.locator("#network-1").fill("private:default");
    await form.locator("#output-allocation").selectOption("sparse");
    await form.getByRole("button", { name: "Dry run" }).click();
    await page.waitForURL(/\/conversions\/[0-9a-f-]{36}$/);
    await page.getByRole("heading", { name: "#1 XenGuest2" }).waitFor();
    expect(await page.getByText("The plan appears here once an agent has read the source").count()).toBe(1);

    await page.getByRole("link", { name: "Conversions" }).first().click();
    await page.waitForURL(/\/conversions$/);
    const row = page.getByRole("row", { name: /XenGuest2/ });
    await row.waitFor();
    const text = (await row.innerText()).replace(/\s+/g, " ");
    expect(text).toContain("#1");
    expect(text).toContain("queued");
    expect(text).toContain("dry run");
    expect(text).toContain("libvirtxml xen-hvm.xml → libvirt default");
    expect(text).toContain(operator.email);
    await page.screenshot({ path: path.join(shots, "conversions-list.png"), fullPage: true });
    const [stored] = await q<{ status: string; dry_run: boolean; guest_name: string; request: { network: string[]; output: { allocation: string } } }>("SELECT status, dry_run, guest_name, request FROM conversions");
    expect(stored).toMatchObject({ status: "queued", dry_run: true, guest_name: "XenGuest2", request: { network: ["xenbr1:br0", "private:default"], output: { allocation: "sparse" } } });
    expect(await q("SELECT action, actor_email FROM audit_events WHERE target_type = 'conversion'")).toEqual([{ action: "conversion.plan", actor_email: operator.email }]);
  });

  test("sees the plan of a planned dry run with its log, and starts it", async () => {
    await q(
      `UPDATE conversions SET status = 'planned', plan = $1, attempt = 1, started_at = now(), finished_at = now() WHERE number = 1`,
      [JSON.stringify(plan)],
    );
    const id = (await q<{ id: string }>("SELECT id FROM conversions WHERE number = 1"))[0]!.id;
    await q(
      `INSERT INTO conversion_logs (conversion_id, attempt, seq, level, stage, message) VALUES ($1, 1, 1, 'info', 'source', 'Reading the domain XML of XenGuest2'), ($1, 1, 2, 'warn', 'plan', 'The guest''s CD-ROM /root/boot.iso is not copied.'), ($1, 1, 3, 'info', 'plan', 'Planned: 1 disk, 1 NIC')`,
      [id],
    );
    await page.goto(`${running.url}/conversions/${id}`);
    const planRegion = page.getByRole("region", { name: "Conversion plan" });
    await planRegion.waitFor();
    const nic = (await planRegion.getByRole("row", { name: /00:16:3e:66:92:9c/ }).innerText()).replace(/\s+/g, " ");
    expect(nic).toContain("bridge xenbr1 → bridge br0");
    expect(nic).toContain("-n/-b in:out mapping");
    expect((await planRegion.getByRole("row", { name: /XenGuest2-sda/ }).innerText()).replace(/\s+/g, " ")).toContain("8.00 GiB");
    expect(await planRegion.locator("pre code").innerText()).toContain("<source bridge='br0'/>");
    expect(await planRegion.getByText("The guest's CD-ROM /root/boot.iso is not copied.").count()).toBe(1);
    const log = page.getByRole("log", { name: "Log lines, oldest first" });
    // Each row: line number, time, level, stage, message.
    expect((await log.locator("[data-line]").allInnerTexts()).map((t) => t.replace(/\s+/g, " ").trim().replace(/^\d+ \S+ /, ""))).toEqual([
      "INFO source Reading the domain XML of XenGuest2",
      "WARN plan The guest's CD-ROM /root/boot.iso is not copied.",
      "INFO plan Planned: 1 disk, 1 NIC",
    ]);
    await page.screenshot({ path: path.join(shots, "conversion-plan.png"), fullPage: true });

    const actions = page.getByRole("form", { name: "Conversion actions" });
    expect(await actions.getByRole("button").allInnerTexts()).toEqual(["Start", "Cancel", "Re-plan"]);
    await actions.getByRole("button", { name: "Start" }).click();
    await page.getByText("Conversion #1 is queued to run with the plan shown.").waitFor();
    await actions.getByRole("button", { name: "Cancel" }).waitFor();
    expect(await actions.getByRole("button").allInnerTexts()).toEqual(["Cancel"]);
    expect(await q("SELECT status, dry_run, plan IS NOT NULL AS has_plan FROM conversions WHERE number = 1")).toEqual([{ status: "queued", dry_run: false, has_plan: true }]);
  });

  test("cancels a queued conversion; it can then be retried or re-planned", async () => {
    const actions = page.getByRole("form", { name: "Conversion actions" });
    await actions.getByRole("button", { name: "Cancel" }).click();
    await page.getByText("Conversion #1 is cancelled.").waitFor();
    await actions.getByRole("button", { name: "Retry" }).waitFor();
    expect(await actions.getByRole("button").allInnerTexts()).toEqual(["Retry", "Re-plan"]);
    expect(await page.getByRole("heading", { level: 1 }).locator("..").innerText()).toContain("cancelled");
    expect(await q("SELECT status, finished_at IS NOT NULL AS finished FROM conversions WHERE number = 1")).toEqual([{ status: "cancelled", finished: true }]);
    expect((await q<{ action: string }>("SELECT action FROM audit_events WHERE target_type = 'conversion' ORDER BY id")).map((r) => r.action)).toEqual(["conversion.plan", "conversion.start", "conversion.cancel"]);
  });
});

describe("watching a running conversion", () => {
  test("the list and the detail page show its progress in bytes", async () => {
    const id = randomUUID();
    const request = { source: { method: "libvirt", uri: "xen+ssh://root@xen.example/", guest: "web1" }, output: { method: "local", storage: "/var/tmp/out" }, dryRun: false };
    await q(
      `INSERT INTO conversions (id, guest_name, status, request, created_by_email, updated_at, attempt, started_at, progress) VALUES ($1, 'web1', 'running', $2, $3, now(), 1, now(), $4)`,
      [id, JSON.stringify(request), operator.email, JSON.stringify({ stage: "copy", done: 1024 ** 3, total: 8 * 1024 ** 3, unit: "bytes", item: "sda" })],
    );
    await page.goto(`${running.url}/conversions?status=running`);
    const row = page.getByRole("row", { name: /web1/ });
    expect((await row.innerText()).replace(/\s+/g, " ")).toContain("copy sda: 1.00 GiB of 8.00 GiB (12%)");
    expect(await row.getByRole("progressbar").getAttribute("aria-valuenow")).toBe(String(1024 ** 3));

    await page.goto(`${running.url}/conversions/${id}`);
    await page.getByText("copy sda: 1.00 GiB of 8.00 GiB (12%)").waitFor();
    // Rows changed behind the console's back (not through the agent service, which publishes
    // live: test/e2e/live.test.ts) show on the next load.
    await q(`UPDATE conversions SET progress = $2 WHERE id = $1`, [id, JSON.stringify({ stage: "copy", done: 6 * 1024 ** 3, total: 8 * 1024 ** 3, unit: "bytes", item: "sda" })]);
    await q(`INSERT INTO conversion_logs (conversion_id, attempt, seq, level, stage, message) VALUES ($1, 1, 1, 'error', 'copy', 'qemu-img: error while writing sector 12345678')`, [id]);
    await page.reload();
    await page.getByText("copy sda: 6.00 GiB of 8.00 GiB (75%)").waitFor({ timeout: 20_000 });
    await page.getByText("qemu-img: error while writing sector 12345678").waitFor({ timeout: 20_000 });
    const actions = page.getByRole("form", { name: "Conversion actions" });
    expect(await actions.getByRole("button").allInnerTexts()).toEqual(["Cancel"]);
    await actions.getByRole("button", { name: "Cancel" }).click();
    await page.getByText("Cancel requested: the agent is stopping conversion").waitFor();
    await page.getByText("cancelling", { exact: true }).waitFor();
    expect(await q("SELECT status, cancel_requested FROM conversions WHERE id = $1", [id])).toEqual([{ status: "running", cancel_requested: true }]);
    await q(`UPDATE conversions SET status = 'cancelled', finished_at = now() WHERE id = $1`, [id]);
  });
});

describe("a viewer", () => {
  test("sees the list, the plan and the log in the dark theme, and no buttons; the new-conversion page is refused", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: "dark" });
    const p = await context.newPage();
    await signInPage(p, running.url, viewer);
    await p.getByRole("row", { name: /XenGuest2/ }).waitFor();
    expect(await p.getByRole("link", { name: "New conversion" }).count()).toBe(0);
    await p.getByRole("link", { name: "XenGuest2" }).click();
    await p.getByRole("region", { name: "Conversion plan" }).waitFor();
    expect(await p.getByRole("form", { name: "Conversion actions" }).count()).toBe(0);
    await p.screenshot({ path: path.join(shots, "conversion-viewer-dark.png"), fullPage: true });
    const refused = await p.goto(`${running.url}/conversions/new`);
    expect(refused?.status()).toBe(403);
    await context.close();
  });
});
