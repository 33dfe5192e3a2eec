// The configuration pages in a real browser, the "done when" journey: an admin creates
// a layer bound to a repository, imports a virt-v2v.conf (preview, then apply), sees an app's
// missing file, uploads it and sees the badge clear, edits a profile (errors under the right
// fields, a conflict refused), finds the revision and its diff in History, exports the layer and
// re-imports it as no change, asks the explorer which app wins; a viewer sees everything and
// can change nothing, even calling the actions directly.
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { hashPassword } from "better-auth/crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { launchBrowser, signInPage } from "../helpers/browser.ts";
import { consoleQuery } from "../helpers/console-db.ts";
import { ROOT, signIn, startConsole, type ConsoleProcess } from "../helpers/console-process.ts";

const PORT = 3230;
const PG_PORT = 54360;
const shots = path.join(ROOT, "test-results", "screenshots");
mkdirSync(shots, { recursive: true });

const admin = { email: "cfg-admin@example.test", password: "configuration admin password" };
const viewer = { email: "cfg-viewer@example.test", password: "configuration viewer password" };
const KERNEL = "rhel/5/kernel-2.6.18-128.el5.x86_64.rpm";
const ECRYPTFS = "rhel/5/ecryptfs-utils-56-8.el5.x86_64.rpm";

const SITE_CONF = `<?xml version="1.0"?>
<!-- Our site's virt-v2v.conf -->
<virt-v2v>
  <profile name="rhev">
    <method>rhev</method>
    <storage format="raw" allocation="preallocated">nfs.example.com:/export/v2v</storage>
    <network type="bridge" name="br-prod"><network type="network" name="rhevm"/></network>
  </profile>
  <profile name="libvirt">
    <method>libvirt</method>
    <storage format="qcow2">default</storage>
  </profile>
  <network type='bridge' name='xenbr1'><network type='network' name='default'/></network>
  <network type='default'><network type='bridge' name='br0'/></network>
  <capability os='linux' distro='rhel' major='5' name='virtio'>
    <dep name='kernel' minversion='2.6.18-128.el5'/>
    <dep name='lvm2' minversion='2.02.40-6.el5' ifinstalled='yes'/>
  </capability>
  <app os='linux' distro='rhel' major='5' arch='x86_64' name='kernel'>
    <path>${KERNEL}</path>
    <dep>ecryptfs-utils</dep>
  </app>
  <app os='linux' distro='rhel' major='5' arch='x86_64' name='ecryptfs-utils'>
    <path>${ECRYPTFS}</path>
  </app>
  <path-root>/var/lib/virt-v2v/software</path-root>
</virt-v2v>
`;

let running: ConsoleProcess;
let browser: Browser;
let page: Page;
let layerUrl: string;
let layerId: string;
let repositoryId: string;

async function q<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return consoleQuery<T>(running.dataDir, PG_PORT, sql, params);
}

async function head(): Promise<number> {
  return Number((await q<{ head_revision: number }>("SELECT head_revision FROM config_layers WHERE id = $1", [layerId]))[0]!.head_revision);
}

function shot(p: Page, name: string): Promise<Buffer> {
  return p.screenshot({ path: path.join(shots, `configuration-${name}.png`), fullPage: true });
}

beforeAll(async () => {
  running = await startConsole({ port: PORT, pgPort: PG_PORT, env: { FERRY_ADMIN_EMAIL: admin.email, FERRY_ADMIN_PASSWORD: admin.password, FERRY_SIGNIN_ATTEMPTS_PER_MINUTE: "50" } });
  const id = randomUUID();
  await q(`INSERT INTO users (id, name, email, email_verified, role, updated_at) VALUES ($1, 'Vi Viewer', $2, true, 'viewer', now())`, [id, viewer.email]);
  await q(`INSERT INTO accounts (id, account_id, provider_id, user_id, password, updated_at) VALUES ($1, $2, 'credential', $2, $3, now())`, [randomUUID(), id, await hashPassword(viewer.password)]);
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await signInPage(page, running.url, admin);
});
afterEach(async (ctx) => {
  // A failing step leaves a picture of the page behind.
  if (ctx.task.result?.state === "fail") await shot(page, `failed-${ctx.task.name.replace(/\W+/g, "-").slice(0, 60)}`).catch(() => undefined);
});
afterAll(async () => {
  await browser?.close();
  await running?.stop("SIGTERM");
});

describe("an admin", () => {
  test("creates a layer Site bound to a new repository; it is searched before Vendor", async () => {
    const res = await page.request.post(`${running.url}/api/repositories`, { data: { name: "Site RPMs", description: "Kernels for RHEL 5" }, headers: { origin: running.url } });
    expect(res.status()).toBe(201);
    repositoryId = ((await res.json()) as { repository: { id: string } }).repository.id;

    await page.getByRole("link", { name: "Configuration" }).click();
    await page.waitForURL(/\/configuration$/);
    await page.getByText("Layers are searched first to last").waitFor();
    const form = page.getByRole("form", { name: "New layer" });
    await form.getByLabel(/^Name/).fill("Site");
    await form.getByLabel(/^Description/).fill("Our kernels and networks");
    await form.getByLabel(/^Software repository/).selectOption({ label: "Site RPMs" });
    await form.getByRole("button", { name: "Create layer" }).click();
    await form.getByText("Created the layer Site, searched before Vendor.").waitFor();

    const rows = page.getByRole("table", { name: "Configuration layers, first searched first" }).locator("tbody tr");
    await rows.filter({ hasText: "Site" }).getByRole("link", { name: "Site RPMs" }).waitFor();
    expect(await rows.nth(0).innerText()).toContain("Site");
    expect(await rows.nth(1).innerText()).toContain("Vendor");
    expect(await rows.nth(1).innerText()).toContain("read-only");
    layerId = (await q<{ id: string }>("SELECT id FROM config_layers WHERE name = 'Site'"))[0]!.id;
    await shot(page, "layers");
  });

  test("reorders team layers with the arrows and deletes one after confirming", async () => {
    const form = page.getByRole("form", { name: "New layer" });
    await form.getByLabel(/^Name/).fill("Lab");
    await form.getByRole("button", { name: "Create layer" }).click();
    await form.getByText("Created the layer Lab, searched before Vendor.").waitFor();
    const rows = page.getByRole("table", { name: "Configuration layers, first searched first" }).locator("tbody tr");
    await rows.nth(1).getByRole("link", { name: "Lab" }).waitFor();
    await page.getByRole("button", { name: "Move Lab up" }).click();
    await page.getByText("Saved the new search order.").waitFor();
    await rows.nth(0).getByRole("link", { name: "Lab" }).waitFor();
    expect(await q("SELECT name FROM config_layers ORDER BY position")).toEqual([{ name: "Lab" }, { name: "Site" }, { name: "Vendor" }]);

    await page.getByRole("button", { name: "Edit layer Lab" }).click();
    await page.getByRole("button", { name: "Delete layer…" }).click();
    await page.getByRole("button", { name: "Delete Lab for good" }).click();
    await rows.filter({ hasText: "Lab" }).waitFor({ state: "detached" });
    expect(await q("SELECT name FROM config_layers ORDER BY position")).toEqual([{ name: "Site" }, { name: "Vendor" }]);
  });

  test("imports a virt-v2v.conf: the preview lists what would change, apply writes it as one revision", async () => {
    await page.getByRole("link", { name: "Site", exact: true }).click();
    await page.waitForURL(/\/configuration\/[^/]+$/);
    layerUrl = page.url();
    await page.getByRole("heading", { name: "Site", level: 1 }).waitFor();

    const form = page.getByRole("form", { name: "Import into Site" });
    await form.getByLabel(/^Paste a virt-v2v.conf/).fill(SITE_CONF.replace("</virt-v2v>", "<app name='broken'>"));
    await form.getByLabel(/^File name for messages/).fill("site.conf");
    await form.getByRole("button", { name: "Preview import" }).click();
    // A parse error names the file, line and column; nothing is written.
    await form.getByRole("alert").filter({ hasText: /site\.conf:\d+:\d+/ }).waitFor();
    expect(await head()).toBe(1);

    await form.getByLabel(/^Paste a virt-v2v.conf/).fill(SITE_CONF);
    await form.getByRole("button", { name: "Preview import" }).click();
    const preview = page.getByRole("region", { name: "Import preview" });
    await preview.waitFor();
    const text = await preview.innerText();
    expect(text).toContain("Importing site.conf into Site");
    expect(text).toContain("7 added");
    expect(text).toContain("Added profile rhev");
    expect(text).toContain("Added network mapping bridge xenbr1");
    expect(text).toContain("Added capability virtio (linux rhel 5)");
    expect(text).toContain("Added app kernel (linux rhel 5 x86_64)");
    expect(text).toContain("Path root");
    await shot(page, "import-preview");
    expect(await head()).toBe(1);

    await preview.getByRole("button", { name: "Apply import" }).click();
    await page.getByText(/^Saved as revision 2: /).waitFor();
    expect(await head()).toBe(2);
    await page.getByRole("table", { name: "Profiles, in document order" }).getByText("nfs.example.com:/export/v2v").waitFor();
    const profiles = await page.getByRole("table", { name: "Profiles, in document order" }).innerText();
    expect(profiles).toContain("bridge br-prod → network rhevm");
    const caps = await page.getByRole("table", { name: "Capabilities, in document order" }).innerText();
    expect(caps).toContain("lvm2 ≥ 2.02.40-6.el5 (if installed)");
  });

  test("an app's missing file is flagged, and the badge clears once the file is uploaded", async () => {
    const apps = page.getByRole("table", { name: "Apps, in document order" });
    const kernel = apps.locator("tbody tr").filter({ hasText: KERNEL });
    expect(await kernel.innerText()).toContain("missing");
    await page.getByText("2 files are missing").waitFor();
    await page.getByText("2 missing files").waitFor();
    await shot(page, "layer-missing");

    const up = await page.request.post(`${running.url}/api/repositories/${repositoryId}/files?path=${encodeURIComponent(KERNEL)}`, {
      data: Buffer.from("a pretend kernel rpm\n"),
      headers: { origin: running.url, "content-type": "application/octet-stream" },
    });
    expect(up.status()).toBeLessThan(300);
    await page.reload();
    await page.getByText("1 missing file", { exact: true }).waitFor();
    expect(await kernel.innerText()).toContain("present");
    expect(await kernel.innerText()).not.toContain("missing");
    expect(await apps.locator("tbody tr").filter({ hasText: ECRYPTFS }).innerText()).toContain("missing");

    await page.goto(`${running.url}/configuration`);
    const row = page.getByRole("table", { name: "Configuration layers, first searched first" }).locator("tbody tr").filter({ hasText: "Site" });
    expect(await row.innerText()).toContain("1 missing");
    await page.goto(layerUrl);
  });

  test("edits a profile: errors land under their fields, then the save is a new revision", async () => {
    await page.getByRole("button", { name: "Edit profile libvirt" }).click();
    const form = page.getByRole("form", { name: "Edit profile libvirt" });
    await form.getByLabel(/^Storage/).fill("fast pool");
    await form.getByRole("button", { name: "Add network mapping" }).click();
    await form.getByLabel(/^Source name/).fill("br9");
    await form.getByRole("button", { name: "Save profile" }).click();
    // A row's field: the error sits under that row's input.
    await form.locator("#profile-1-net0-targetName-error").getByText("Target name is required.").waitFor();
    expect(await head()).toBe(2);
    // What was typed is kept; the next refusal names the storage.
    expect(await form.getByLabel(/^Source name/).inputValue()).toBe("br9");
    await form.getByLabel(/^Target name/).fill("lab");
    await form.getByRole("button", { name: "Save profile" }).click();
    await form.locator("#profile-1-location-error").getByText("Storage for libvirt is the name of a storage pool, without spaces.").waitFor();
    await shot(page, "profile-errors");
    expect(await head()).toBe(2);

    await form.getByLabel(/^Storage/).fill("fast-pool");
    await form.getByRole("button", { name: "Save profile" }).click();
    await page.getByText("Saved as revision 3: ").waitFor();
    expect(await head()).toBe(3);
    const profiles = await page.getByRole("table", { name: "Profiles, in document order" }).innerText();
    expect(profiles).toContain("fast-pool");
    expect(profiles).toContain("bridge br9 → network lab");
  });

  test("an edit started from an older revision is refused with a conflict and a Reload link", async () => {
    await page.getByRole("button", { name: "Edit network bridge xenbr1" }).click();
    const form = page.getByRole("form", { name: "Edit network mapping" });
    // Someone else saves meanwhile (another admin session).
    const other = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const p2 = await other.newPage();
    await signInPage(p2, running.url, admin);
    await p2.goto(layerUrl);
    await p2.getByRole("button", { name: "Move network default (any other) up" }).click();
    await p2.getByText("Saved as revision 4: ").waitFor();
    await other.close();

    await form.getByLabel(/^Target name/).fill("mine");
    await form.getByRole("button", { name: "Save mapping" }).click();
    const alert = form.getByRole("alert").filter({ hasText: "This layer changed since you opened it (you edited revision 3; it is now at revision 4" });
    await alert.waitFor();
    await alert.getByRole("link", { name: "Reload" }).waitFor();
    await shot(page, "conflict");
    expect(await head()).toBe(4);
    await alert.getByRole("link", { name: "Reload" }).click();
    await page.getByText("revision 4", { exact: true }).waitFor();
  });

  test("History lists the revisions newest first and shows what each changed", async () => {
    const history = page.getByRole("table", { name: "Revisions, newest first" });
    const rows = history.locator("tbody tr");
    expect(await rows.count()).toBe(4);
    expect(await rows.nth(0).innerText()).toMatch(/^4\s*current/);
    expect(await rows.nth(0).innerText()).toContain(admin.email);
    await history.getByRole("link", { name: "Show changes in revision 3" }).click();
    const changes = page.getByLabel("Changes in revision 3");
    await changes.getByText("Revision 3 compared with revision 2").waitFor();
    expect(await changes.innerText()).toContain("Changed profile libvirt");
    const diff = page.getByLabel("Unified diff of revision 2 and 3");
    expect(await diff.innerText()).toMatch(/^\+.*fast-pool/m);
    expect(await diff.innerText()).toMatch(/^-.*default/m);
    await page.locator("#history").screenshot({ path: path.join(shots, "configuration-history.png") });
  });

  test("exports the layer; importing the export again previews no changes", async () => {
    const link = page.getByRole("link", { name: "Export 01-site.conf" });
    const res = await page.request.get(`${running.url}${await link.getAttribute("href")}`);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-disposition"]).toContain('filename="01-site.conf"');
    expect(res.headers()["content-type"]).toContain("text/xml");
    const exported = await res.text();
    expect(exported).toContain('Ferry configuration layer "Site", revision 4');
    expect(exported).toContain("fast-pool");

    const form = page.getByRole("form", { name: "Import into Site" });
    await form.getByLabel(/^Paste a virt-v2v.conf/).fill(exported);
    await form.getByRole("button", { name: "Preview import" }).click();
    const preview = page.getByRole("region", { name: "Import preview" });
    await preview.getByText("No changes: the layer already holds exactly this configuration.").waitFor();
    expect(await preview.innerText()).toMatch(/0 added\s*0 changed\s*0 removed/);
    expect(await preview.getByRole("button", { name: "Apply import" }).isDisabled()).toBe(true);

    // The whole stack: numbered files and the command line.
    await page.goto(`${running.url}/configuration/export`);
    await page.getByText("virt-v2v -f 01-site.conf -f 02-vendor.conf").waitFor();
    const vendor = await page.request.get(`${running.url}/api/config/export/02-vendor.conf`);
    expect(vendor.status()).toBe(200);
    expect(await vendor.text()).toContain("<virt-v2v>");
    await shot(page, "export");
    // Without a session, no export.
    expect((await fetch(`${running.url}/api/config/layers/${layerId}/export`)).status).toBe(401);
  });

  test("the explorer finds the Site layer's kernel for a RHEL 5 guest", async () => {
    await page.goto(`${running.url}/explorer`);
    await page.getByLabel(/^Kind/).selectOption("app");
    await page.getByLabel(/^Name/).fill("kernel");
    await page.getByLabel(/^OS/).fill("linux");
    await page.getByLabel(/^Distro/).fill("rhel");
    await page.getByLabel(/^Major/).fill("5");
    await page.getByLabel(/^Minor/).fill("3");
    await page.getByLabel(/^Arch/).fill("x86_64");
    await page.getByRole("button", { name: "Find the winner" }).click();
    const answer = page.getByRole("region", { name: "Answer" });
    await answer.getByText(/rung \d/).first().waitFor();
    expect(await answer.innerText()).toContain("Site");
    await shot(page, "explorer");
  });
});

describe("a viewer", () => {
  test("sees the layers, the layer page and its elements, with no forms", async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const p = await context.newPage();
    await signInPage(p, running.url, viewer);
    await p.goto(`${running.url}/configuration`);
    await p.getByRole("link", { name: "Site", exact: true }).waitFor();
    await p.getByRole("link", { name: "Vendor", exact: true }).waitFor();
    expect(await p.getByRole("form").count()).toBe(0);
    expect(await p.getByRole("button", { name: /Edit|Move|Create/ }).count()).toBe(0);

    await p.goto(layerUrl);
    await p.getByRole("table", { name: "Profiles, in document order" }).getByText("fast-pool").waitFor();
    await p.getByRole("table", { name: "Apps, in document order" }).getByText(KERNEL).waitFor();
    await p.getByRole("table", { name: "Capabilities, in document order" }).getByText("virtio").waitFor();
    await p.getByRole("table", { name: "Revisions, newest first" }).waitFor();
    await p.getByRole("link", { name: "Export 01-site.conf" }).waitFor();
    expect(await p.getByRole("form").count()).toBe(0);
    expect(await p.getByRole("button", { name: /Edit|Delete|Add|Move|Import|Restore|Save/ }).count()).toBe(0);
    await shot(p, "viewer-layer");
    await context.close();
  });

  test("calling saveElementAction with a viewer's session is refused and changes nothing", async () => {
    const { cookie } = await signIn(running.url, viewer.email, viewer.password);
    const pair = cookie!.split(";")[0]!;
    const before = await q("SELECT number, model FROM config_revisions WHERE layer_id = $1 ORDER BY number", [layerId]);
    // The admin's rendered page, now carrying the viewer's session: its forms call the actions as the viewer.
    await page.goto(layerUrl);
    await page.getByRole("button", { name: "Edit profile libvirt" }).click();
    await page.context().clearCookies();
    await page.context().addCookies([{ name: pair.slice(0, pair.indexOf("=")), value: pair.slice(pair.indexOf("=") + 1), url: running.url }]);
    const form = page.getByRole("form", { name: "Edit profile libvirt" });
    await form.getByLabel(/^Storage/).fill("mallory");
    await form.getByRole("button", { name: "Save profile" }).click();
    await form.getByText("Your role (viewer) does not allow this (config:write).").waitFor();
    expect(await q("SELECT number, model FROM config_revisions WHERE layer_id = $1 ORDER BY number", [layerId])).toEqual(before);
    expect(await head()).toBe(4);
  });
});
