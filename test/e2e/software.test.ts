// The Software page in a real browser: an admin creates a repository, uploads a file through
// the page (progress, path defaulting to the file's name), cancels a slow upload, sees a delete
// refused because an app points at the file; a viewer sees everything and can change nothing.
import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import { hashPassword } from "better-auth/crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchBrowser, signInPage } from "../helpers/browser.ts";
import { consoleQuery } from "../helpers/console-db.ts";
import { ROOT, signIn, startConsole, type ConsoleProcess } from "../helpers/console-process.ts";

const PG_PORT = 54353;
const shots = path.join(ROOT, "test-results", "screenshots");
mkdirSync(shots, { recursive: true });

const admin = { email: "sw-admin@example.test", password: "software admin password" };
const viewer = { email: "sw-viewer@example.test", password: "software viewer password" };
const KERNEL = "rhel/5/kernel-2.6.18-128.el5.x86_64.rpm";
const kernelBytes = Buffer.from("a pretend kernel rpm\n".repeat(5000));

let running: ConsoleProcess;
let browser: Browser;
let page: Page;

async function q<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return consoleQuery<T>(running.dataDir, PG_PORT, sql, params);
}

beforeAll(async () => {
  running = await startConsole({ port: 3222, pgPort: PG_PORT, env: { FERRY_ADMIN_EMAIL: admin.email, FERRY_ADMIN_PASSWORD: admin.password, FERRY_SIGNIN_ATTEMPTS_PER_MINUTE: "50" } });
  const id = randomUUID();
  await q(`INSERT INTO users (id, name, email, email_verified, role, updated_at) VALUES ($1, 'Vi Viewer', $2, true, 'viewer', now())`, [id, viewer.email]);
  await q(`INSERT INTO accounts (id, account_id, provider_id, user_id, password, updated_at) VALUES ($1, $2, 'credential', $2, $3, now())`, [randomUUID(), id, await hashPassword(viewer.password)]);
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  await signInPage(page, running.url, admin);
});
afterAll(async () => {
  await browser?.close();
  await running?.stop("SIGTERM");
});

describe("an admin", () => {
  test("creates a repository from the empty page", async () => {
    await page.getByRole("link", { name: "Software" }).click();
    await page.waitForURL(/\/software$/);
    await page.getByText("No software repositories yet").waitFor();
    const form = page.getByRole("form", { name: "New repository" });
    await form.getByLabel(/^Name/).fill("Site RPMs");
    await form.getByLabel(/^Description/).fill("Kernels for RHEL 5 guests");
    await form.getByRole("button", { name: "Create repository" }).click();
    await page.getByRole("heading", { name: "Site RPMs", exact: true }).waitFor();
    expect(await q("SELECT name, description FROM repositories")).toEqual([{ name: "Site RPMs", description: "Kernels for RHEL 5 guests" }]);
  });

  test("uploads a file: the path defaults to its name, the upload is listed with size and sha256", async () => {
    const upload = page.getByRole("form", { name: "Upload a file to Site RPMs" });
    await upload.getByLabel(/^File/).setInputFiles({ name: "kernel-2.6.18-128.el5.x86_64.rpm", mimeType: "application/x-rpm", buffer: kernelBytes });
    const pathField = upload.getByLabel(/^Path in the repository/);
    expect(await pathField.inputValue()).toBe("kernel-2.6.18-128.el5.x86_64.rpm");
    await pathField.fill(KERNEL);
    await upload.getByRole("button", { name: "Upload" }).click();
    await page.getByText(`Uploaded ${KERNEL} (103 KiB`).waitFor();
    const row = page.getByRole("row", { name: new RegExp(KERNEL.replace(/\./g, "\\.")) });
    await row.waitFor();
    const sha = createHash("sha256").update(kernelBytes).digest("hex");
    expect(await row.innerText()).toContain("103 KiB");
    expect(await row.innerText()).toContain(sha.slice(0, 12));
    expect(await row.innerText()).toContain(admin.email);
    expect(await q("SELECT path, size::text, sha256 FROM repository_files")).toEqual([{ path: KERNEL, size: String(kernelBytes.length), sha256: sha }]);
    // The listing's link downloads it.
    const href = await row.getByRole("link", { name: KERNEL }).getAttribute("href");
    const res = await page.request.get(`${running.url}${href}`);
    expect(Buffer.from(await res.body()).equals(kernelBytes)).toBe(true);
    await page.screenshot({ path: path.join(shots, "software-uploaded.png"), fullPage: true });
  });

  test("a slow upload shows its progress and can be cancelled, leaving nothing behind", async () => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 512 * 1024 });
    const upload = page.getByRole("form", { name: "Upload a file to Site RPMs" });
    await upload.getByLabel(/^File/).setInputFiles({ name: "virtio-win.iso", mimeType: "application/octet-stream", buffer: Buffer.alloc(16 * 1024 * 1024, 3) });
    expect(await upload.getByLabel(/^Path in the repository/).inputValue()).toBe("virtio-win.iso");
    await upload.getByRole("button", { name: "Upload" }).click();
    const bar = page.getByRole("progressbar", { name: "Uploading virtio-win.iso" });
    await page.waitForFunction(() => Number(document.querySelector('[role="progressbar"]')?.getAttribute("aria-valuenow") ?? 0) > 0);
    expect(await bar.getAttribute("aria-valuetext")).toMatch(/of 16\.0 MiB \(\d+%\)/);
    await upload.getByText(/ of 16\.0 MiB \(\d+%\) · [\d.]+ [KM]iB\/s · .+ left$/).waitFor();
    await page.screenshot({ path: path.join(shots, "software-uploading.png"), fullPage: true });
    await upload.getByRole("button", { name: "Cancel upload" }).click();
    await page.getByText("Upload of virtio-win.iso cancelled; nothing was stored.").waitFor();
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    const repo = (await q<{ id: string }>("SELECT id FROM repositories"))[0]!.id;
    const dir = path.join(running.dataDir, "repositories", repo);
    for (let i = 0; i < 100 && readdirSync(dir).some((n) => n.startsWith(".ferry-")); i++) await new Promise((r) => setTimeout(r, 100));
    expect(readdirSync(dir).filter((n) => n.startsWith(".ferry-") || n === "virtio-win.iso")).toEqual([]);
    expect(await q("SELECT path FROM repository_files WHERE path = 'virtio-win.iso'")).toEqual([]);
  });

  test("a bad path is refused with a message naming it", async () => {
    const upload = page.getByRole("form", { name: "Upload a file to Site RPMs" });
    await upload.getByLabel(/^File/).setInputFiles({ name: "x.rpm", mimeType: "application/x-rpm", buffer: Buffer.from("x") });
    await upload.getByLabel(/^Path in the repository/).fill("../x.rpm");
    await upload.getByRole("button", { name: "Upload" }).click();
    await upload.getByRole("alert").filter({ hasText: 'The path "../x.rpm" has a ".." segment' }).waitFor();
  });

  test("a delete is refused while an app points at the file, naming the app", async () => {
    const repo = (await q<{ id: string }>("SELECT id FROM repositories"))[0]!.id;
    const layer = randomUUID();
    await q(`INSERT INTO config_layers (id, name, position, kind, repository_id, head_revision, updated_at) VALUES ($1, 'Site', 10, 'team', $2, 1, now())`, [layer, repo]);
    const model = { pathRoot: "/var/lib/virt-v2v/software", apps: [{ name: "kernel", os: "linux", distro: "rhel", major: "5", arch: "x86_64", path: KERNEL, deps: [] }] };
    await q(`INSERT INTO config_revisions (layer_id, number, model, summary, author_email) VALUES ($1, 1, $2, 'test', 'system')`, [layer, JSON.stringify(model)]);
    await page.reload();
    const row = page.getByRole("row", { name: new RegExp(KERNEL.replace(/\./g, "\\.")) });
    await row.getByText("kernel · Site").waitFor();
    await row.getByRole("button", { name: `Delete ${KERNEL}` }).click();
    await row.getByRole("button", { name: `Confirm deleting ${KERNEL}` }).click();
    await page.getByRole("alert").filter({ hasText: `${KERNEL} is used by app kernel (os=linux distro=rhel major=5 arch=x86_64) in layer Site; change or remove that app first.` }).waitFor();
    await page.screenshot({ path: path.join(shots, "software-delete-refused.png"), fullPage: true });
    expect(await q("SELECT path FROM repository_files")).toEqual([{ path: KERNEL }]);
  });
});

describe("a viewer", () => {
  test("sees repositories and files, with no forms to change them", async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const p = await context.newPage();
    await signInPage(p, running.url, viewer);
    await p.goto(`${running.url}/software`);
    await p.getByRole("heading", { name: "Site RPMs", exact: true }).waitFor();
    await p.getByRole("link", { name: KERNEL }).waitFor();
    expect(await p.getByRole("form").count()).toBe(0);
    expect(await p.getByRole("button", { name: /Delete|Upload|Create|Save/ }).count()).toBe(0);
    await p.screenshot({ path: path.join(shots, "software-viewer.png"), fullPage: true });
    await context.close();
  });

  test("calling the page's actions directly with a viewer's session is refused", async () => {
    const { cookie } = await signIn(running.url, viewer.email, viewer.password);
    const pair = cookie!.split(";")[0]!;
    // The admin's rendered page, now carrying the viewer's session: its forms call the actions as the viewer.
    await page.goto(`${running.url}/software`);
    await page.context().clearCookies();
    await page.context().addCookies([{ name: pair.slice(0, pair.indexOf("=")), value: pair.slice(pair.indexOf("=") + 1), url: running.url }]);
    const refused = "Your role (viewer) does not allow this (software:write).";
    const form = page.getByRole("form", { name: "New repository" });
    await form.getByLabel(/^Name/).fill("Mallory's");
    await form.getByRole("button", { name: "Create repository" }).click();
    await form.getByText(refused).waitFor();
    await page.getByRole("button", { name: "Delete repository…" }).click();
    await page.getByRole("button", { name: "Delete Site RPMs for good" }).click();
    await page.getByRole("form", { name: "Delete Site RPMs" }).getByText(refused).waitFor();
    const upload = page.getByRole("form", { name: "Upload a file to Site RPMs" });
    await upload.getByLabel(/^File/).setInputFiles({ name: "evil.rpm", mimeType: "application/x-rpm", buffer: Buffer.from("evil") });
    await upload.getByRole("button", { name: "Upload" }).click();
    await upload.getByText(refused).waitFor();
    expect(await q("SELECT name FROM repositories")).toEqual([{ name: "Site RPMs" }]);
    expect(await q("SELECT path FROM repository_files")).toEqual([{ path: KERNEL }]);
  });
});
