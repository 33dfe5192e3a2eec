// "Which rule wins?" in a real browser, against the Vendor layer seeded at start plus a small
// Site layer searched before it: the RHEL 5.4 x86_64 kernel wins at rung 3 in Vendor, Windows
// 2008 R2 x64 virtio resolves to the amd64/Win2008 drivers, a bogus name gets virt-v2v's exact
// no-match message, every answer has a URL that renders it again (also without JavaScript), and
// a viewer can ask too. Then the Profiles and Networks overviews of the same stack.
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { hashPassword } from "better-auth/crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchBrowser, signInPage } from "../helpers/browser.ts";
import { consoleQuery } from "../helpers/console-db.ts";
import { ROOT, signIn, startConsole, type ConsoleProcess } from "../helpers/console-process.ts";

const PORT = 3241;
const PG_PORT = 54371;
const shots = path.join(ROOT, "test-results", "screenshots");
mkdirSync(shots, { recursive: true });

const admin = { email: "ex-admin@example.test", password: "explorer admin password" };
const viewer = { email: "ex-viewer@example.test", password: "explorer viewer password" };

const KERNEL_URL = "/explorer?kind=app&name=kernel&os=linux&distro=rhel&major=5&minor=4&arch=x86_64";

let running: ConsoleProcess;
let browser: Browser;
let page: Page;

async function q<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return consoleQuery<T>(running.dataDir, PG_PORT, sql, params);
}

async function winnerTitle(p: Page): Promise<string> {
  return (await p.locator("#winner-title").innerText()).replace(/\s+/g, " ").trim();
}

const site = {
  pathRoot: "/srv/site-software",
  profiles: [
    { name: "lab-rhev", method: "rhev", storage: { location: "nfs.lab:/export/data", format: "qcow2", allocation: "sparse" }, networks: [{ type: "bridge", name: "xenbr0", target: { type: "network", name: "rhevm" } }] },
  ],
  networks: [
    { type: "bridge", name: "xenbr1", target: { type: "network", name: "site-net" } },
    { type: "default", target: { type: "network", name: "default" } },
  ],
  capabilities: [],
  apps: [
    // Shadows the Vendor rhsrvany (same rung 8, earlier layer).
    { name: "rhsrvany", os: "windows", path: "windows/rhsrvany-site.exe", deps: [] },
    // A near miss for the RHEL 5.4 x86_64 kernel: major 4.
    { name: "kernel", os: "linux", distro: "rhel", major: "4", arch: "x86_64", path: "rhel/4/kernel-site.rpm", deps: [] },
  ],
};

beforeAll(async () => {
  running = await startConsole({ port: PORT, pgPort: PG_PORT, env: { FERRY_ADMIN_EMAIL: admin.email, FERRY_ADMIN_PASSWORD: admin.password, FERRY_SIGNIN_ATTEMPTS_PER_MINUTE: "50" } });
  const id = randomUUID();
  await q(`INSERT INTO users (id, name, email, email_verified, role, updated_at) VALUES ($1, 'Vera Viewer', $2, true, 'viewer', now())`, [id, viewer.email]);
  await q(`INSERT INTO accounts (id, account_id, provider_id, user_id, password, updated_at) VALUES ($1, $2, 'credential', $2, $3, now())`, [randomUUID(), id, await hashPassword(viewer.password)]);
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1440, height: 1000 } })).newPage();
  await signInPage(page, running.url, admin);
});
afterAll(async () => {
  await browser?.close();
  await running?.stop("SIGTERM");
});

describe("the explorer, Vendor layer only", () => {
  test("is in the navigation and invites a question", async () => {
    await page.getByRole("link", { name: "Explorer" }).click();
    await page.waitForURL(/\/explorer$/);
    await page.getByRole("heading", { name: "Which rule wins?" }).waitFor();
    await page.getByText("Ask about a guest").waitFor();
  });

  test("RHEL 5.4 x86_64 kernel: Vendor, rung 3, the x86_64 RPM under the path-root, missing; the URL holds the question", async () => {
    await page.getByLabel("Kind", { exact: true }).selectOption("app");
    await page.getByLabel("Name", { exact: true }).fill("kernel");
    await page.getByLabel("OS", { exact: true }).fill("linux");
    await page.getByLabel("Distro", { exact: true }).fill("rhel");
    await page.getByLabel("Major", { exact: true }).fill("5");
    await page.getByLabel("Minor", { exact: true }).fill("4");
    await page.getByLabel("Arch", { exact: true }).fill("x86_64");
    await page.getByRole("button", { name: "Find the winner" }).click();
    await page.waitForURL((u) => u.pathname + u.search === KERNEL_URL);
    await page.locator("#winner-title").waitFor();
    expect(await winnerTitle(page)).toBe("app kernel in Vendor, rung 3");
    expect(await page.getByTestId("winner-path").innerText()).toBe("/var/lib/virt-v2v/software/rhel/5/kernel-2.6.18-128.el5.x86_64.rpm");
    expect(await page.getByTestId("search-text").innerText()).toBe("os='linux' name='kernel' distro='rhel' major='5' minor='4' arch='x86_64'");
    const winnerCard = page.getByRole("region", { name: /app kernel in Vendor/ });
    await winnerCard.getByText("missing", { exact: true }).first().waitFor();
    await winnerCard.getByText("distro, major and arch (any minor)").waitFor();
    // minor is not compared at rung 3: the element must not have one, and has none.
    const minorRow = winnerCard.getByRole("row", { name: /^minor/ });
    expect(await minorRow.innerText()).toMatch(/absent[\s\S]*4[\s\S]*not compared: must be absent/);
    expect(await winnerCard.getByRole("row", { name: /^arch/ }).getAttribute("data-compared")).toBe("true");
    // The ladder: rungs 1 and 2 tried and empty, rung 3 the winner.
    const ladder = page.getByRole("region", { name: "The search, step by step" });
    expect(await ladder.locator('td[data-state="winner"]').getAttribute("data-rung")).toBe("3");
    expect(await ladder.locator('td[data-state="empty"]').count()).toBe(2);
    // Its dependency ecryptfs-utils, resolved for the same guest.
    const dep = page.getByTestId("dep-node").filter({ hasText: "ecryptfs-utils" });
    expect(await dep.innerText()).toContain("/var/lib/virt-v2v/software/rhel/5/ecryptfs-utils-56-8.el5.x86_64.rpm");
    await page.screenshot({ path: path.join(shots, "explorer-kernel.png"), fullPage: true });
  });

  test("the Windows 2008 R2 x64 virtio preset: the amd64/Win2008 driver directory, on the agent host", async () => {
    await page.getByRole("link", { name: /Windows 2008 R2 x64 virtio/ }).click();
    await page.waitForURL(/kind=app&name=virtio&os=windows&major=6&minor=1&arch=x86_64$/);
    await page.waitForFunction(() => document.querySelector("#winner-title")?.textContent?.includes("virtio"));
    expect(await winnerTitle(page)).toBe("app virtio in Vendor, rung 3");
    expect(await page.getByTestId("winner-path").innerText()).toBe("/usr/share/virtio-win/drivers/amd64/Win2008");
    await page.getByRole("region", { name: /app virtio in Vendor/ }).getByText("on agent host").first().waitFor();
    // The form shows the preset's values.
    expect(await page.getByLabel("OS", { exact: true }).inputValue()).toBe("windows");
    expect(await page.getByLabel("Distro", { exact: true }).inputValue()).toBe("");
    await page.screenshot({ path: path.join(shots, "explorer-windows-virtio.png"), fullPage: true });
  });

  test("the RHEL 5.4 virtio capability: its dependency tree with minversions, ifinstalled and nested deps", async () => {
    await page.getByRole("link", { name: /RHEL 5\.4 virtio/ }).click();
    await page.waitForURL(/kind=capability&name=virtio/);
    await page.waitForFunction(() => document.querySelector("#winner-title")?.textContent?.includes("capability"));
    expect(await winnerTitle(page)).toBe("capability virtio in Vendor, rung 4");
    const tree = page.getByRole("region", { name: "Dependency tree" });
    const kernel = tree.locator('[data-name="kernel"]').first();
    expect(await kernel.innerText()).toContain("≥ 2.6.18-128.el5");
    const lvm2 = tree.locator('[data-name="lvm2"]');
    expect(await lvm2.locator('[data-name="device-mapper"]').count()).toBe(1);
    expect(await tree.locator('[data-name="selinux-policy-targeted"]').innerText()).toContain("only if installed");
    await page.screenshot({ path: path.join(shots, "explorer-capability.png"), fullPage: true });
  });

  test("a bogus name: virt-v2v's exact no-match message, prominently, with a hint", async () => {
    await page.getByLabel("Kind", { exact: true }).selectOption("app");
    await page.getByLabel("Name", { exact: true }).fill("kernal");
    await page.getByLabel("OS", { exact: true }).fill("linux");
    await page.getByLabel("Distro", { exact: true }).fill("rhel");
    await page.getByLabel("Major", { exact: true }).fill("5");
    await page.getByLabel("Minor", { exact: true }).fill("4");
    await page.getByLabel("Arch", { exact: true }).fill("x86_64");
    await page.getByRole("button", { name: "Find the winner" }).click();
    await page.waitForURL(/name=kernal/);
    const message = page.getByTestId("no-match-message");
    await message.waitFor();
    expect(await message.innerText()).toBe("No app in config matches os='linux' name='kernal' distro='rhel' major='5' minor='4' arch='x86_64'");
    await page.getByRole("alert").filter({ hasText: "No match" }).waitFor();
    await page.getByRole("link", { name: "kernel", exact: true }).waitFor();
    await page.screenshot({ path: path.join(shots, "explorer-no-match.png"), fullPage: true });
  });
});

describe("a malformed question", () => {
  test("names the field at fault under it, and answers nothing", async () => {
    await page.goto(`${running.url}/explorer?kind=app&name=two%20words&os=linux`);
    await page.getByText("Name must not contain spaces.").waitFor();
    expect(await page.getByLabel("Name", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#winner-title").count()).toBe(0);
  });
});

describe("near misses", () => {
  test("no match for a ppc64 kernel: the nearest candidates, each with the attribute that rules it out", async () => {
    await page.goto(`${running.url}/explorer?kind=app&name=kernel&os=linux&distro=rhel&major=5&minor=4&arch=ppc64`);
    expect(await page.getByTestId("no-match-message").innerText()).toBe("No app in config matches os='linux' name='kernel' distro='rhel' major='5' minor='4' arch='ppc64'");
    const near = page.getByRole("region", { name: "Nearest candidates" });
    const x86 = near.getByTestId("near-miss-row").filter({ hasText: "rhel/5/kernel-2.6.18-128.el5.x86_64.rpm" });
    expect(await x86.innerText()).toContain("arch is 'x86_64', not 'ppc64'");
    const rhel4 = near.getByTestId("near-miss-row").filter({ hasText: "rhel/4/kernel-2.6.9-89.EL.i686.rpm" });
    expect(await rhel4.innerText()).toContain("major is '4', not '5'.");
    await page.screenshot({ path: path.join(shots, "explorer-near-misses.png"), fullPage: true });
  });
});

describe("with a Site layer searched first", () => {
  beforeAll(async () => {
    const layer = randomUUID();
    await q(`INSERT INTO config_layers (id, name, position, kind, head_revision, updated_at) VALUES ($1, 'Site', 0, 'team', 1, now())`, [layer]);
    await q(`INSERT INTO config_revisions (layer_id, number, model, summary, author_email) VALUES ($1, 1, $2, 'test', 'system')`, [layer, JSON.stringify(site)]);
  });

  test("the Site rhsrvany wins; the Vendor one is shadowed, and says why", async () => {
    await page.goto(`${running.url}/explorer?kind=app&name=rhsrvany&os=windows&major=6&minor=1&arch=x86_64`);
    expect(await winnerTitle(page)).toBe("app rhsrvany in Site, rung 8");
    expect(await page.getByTestId("winner-path").innerText()).toBe("/srv/site-software/windows/rhsrvany-site.exe");
    const row = page.getByTestId("shadowed-row");
    expect(await row.count()).toBe(1);
    expect(await row.innerText()).toContain("In a later layer: Site is searched first.");
    const ladder = page.getByRole("region", { name: "The search, step by step" });
    expect(await ladder.locator('td[data-state="shadowed"]').count()).toBe(1);
    expect(await ladder.locator('td[data-state="same"]').count()).toBe(4);
    await page.screenshot({ path: path.join(shots, "explorer-shadowed.png"), fullPage: true });
  });

  test("a shared URL renders the same answer from the server, without JavaScript", async () => {
    const { cookie } = await signIn(running.url, admin.email, admin.password);
    const context = await browser.newContext({ javaScriptEnabled: false, extraHTTPHeaders: { cookie: cookie! }, viewport: { width: 1280, height: 900 } });
    const p = await context.newPage();
    await p.goto(`${running.url}${KERNEL_URL}`);
    expect(await winnerTitle(p)).toBe("app kernel in Vendor, rung 3");
    // The Site kernel for RHEL 4 is a near miss, with its reason.
    expect(await p.getByTestId("near-miss-row").filter({ hasText: "rhel/4/kernel-site.rpm" }).textContent()).toContain("major is '4', not '5'.");
    // The form submits as a plain GET.
    await p.getByLabel("Arch", { exact: true }).fill("i686");
    await p.getByRole("button", { name: "Find the winner" }).click();
    await p.waitForURL(/arch=i686/);
    expect(await p.getByTestId("winner-path").innerText()).toBe("/var/lib/virt-v2v/software/rhel/5/kernel-2.6.18-128.el5.i686.rpm");
    await context.close();
  });

  test("a viewer opens a shared link and asks their own question", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: "dark" });
    const p = await context.newPage();
    await signInPage(p, running.url, viewer);
    await p.goto(`${running.url}${KERNEL_URL}`);
    expect(await winnerTitle(p)).toBe("app kernel in Vendor, rung 3");
    await p.getByRole("link", { name: /Windows XP 32-bit virtio/ }).click();
    await p.waitForFunction(() => document.querySelector("#winner-title")?.textContent?.includes("virtio"));
    expect(await p.getByTestId("winner-path").innerText()).toBe("/usr/share/virtio-win/drivers/i386/WinXP");
    await p.screenshot({ path: path.join(shots, "explorer-viewer-dark.png"), fullPage: true });
    await context.close();
  });
});

describe("profiles and networks across the stack", () => {
  beforeAll(async () => {
    // A Lab layer searched before Site: its profile and xenbr1 mapping shadow Site's.
    const lab = {
      profiles: [{ name: "lab-rhev", method: "rhev", storage: { location: "nfs.lab2:/export/v2", format: "raw" }, networks: [{ type: "bridge", name: "xenbr0", target: { type: "network", name: "rhevm-lab" } }] }],
      networks: [{ type: "bridge", name: "xenbr1", target: { type: "network", name: "lab-net" } }],
      capabilities: [],
      apps: [],
    };
    const layer = randomUUID();
    await q(`INSERT INTO config_layers (id, name, position, kind, head_revision, updated_at) VALUES ($1, 'Lab', -1, 'team', 1, now())`, [layer]);
    await q(`INSERT INTO config_revisions (layer_id, number, model, summary, author_email) VALUES ($1, 1, $2, 'test', 'system')`, [layer, JSON.stringify(lab)]);
  });

  test("Profiles: each profile with its layer, storage and mappings, shadowing marked, and virt-v2v's --list-profiles text", async () => {
    await page.goto(`${running.url}/profiles`);
    const rows = page.getByTestId("profile-row");
    expect(await rows.count()).toBe(2);
    const lab = await rows.nth(0).innerText();
    for (const part of ["lab-rhev", "Lab", "rhev", "nfs.lab2:/export/v2", "raw", "as source", "xenbr0", "rhevm-lab", "used by -p lab-rhev"]) expect(lab).toContain(part);
    const site = await rows.nth(1).innerText();
    for (const part of ["lab-rhev", "Site", "nfs.lab:/export/data", "qcow2", "sparse", "shadowed by Lab"]) expect(site).toContain(part);
    expect(await rows.nth(1).getByRole("link", { name: "lab-rhev" }).getAttribute("href")).toMatch(/^\/configuration\/[\w-]+#profiles$/);
    expect(await page.getByTestId("list-profiles").textContent()).toBe("Defined target profiles:\n  lab-rhev\n  lab-rhev\n");
    await page.screenshot({ path: path.join(shots, "profiles.png"), fullPage: true });
  });

  test("Networks: the default highlighted, a shadowed mapping marked, and a NIC mapped through the core", async () => {
    await page.goto(`${running.url}/networks`);
    const def = page.getByTestId("network-row").filter({ hasText: "every unmapped NIC" });
    expect(await def.innerText()).toContain("the default for unmapped NICs");
    const siteXenbr1 = page.getByTestId("network-row").filter({ hasText: "site-net" });
    expect(await siteXenbr1.innerText()).toContain("shadowed by Lab");
    const form = page.getByRole("form", { name: "Map a NIC" });
    await form.getByLabel("Source type").selectOption("bridge");
    await form.getByLabel("Source name").fill("xenbr1");
    await form.getByRole("button", { name: "Map it" }).click();
    await page.waitForURL(/nicName=xenbr1/);
    expect((await page.getByTestId("nic-result").innerText()).replace(/\s+/g, " ")).toMatch(/^bridge xenbr1 → (goes to )?network lab-net A mapping for this NIC in Lab\./);
    await page.getByLabel("Source name").fill("xenbr9");
    await page.getByRole("button", { name: "Map it" }).click();
    await page.waitForURL(/nicName=xenbr9/);
    expect(await page.getByTestId("nic-result").innerText()).toContain("the default mapping from Site");
    await page.getByLabel("Source name").fill("xenbr0");
    await page.getByLabel("Profile", { exact: true }).selectOption("lab-rhev");
    await page.getByRole("button", { name: "Map it" }).click();
    await page.waitForURL(/profile=lab-rhev/);
    expect((await page.getByTestId("nic-result").innerText()).replace(/\s+/g, " ")).toMatch(/^bridge xenbr0 → (goes to )?network rhevm-lab The profile lab-rhev's own mapping/);
    await page.screenshot({ path: path.join(shots, "networks.png"), fullPage: true });
  });
});
