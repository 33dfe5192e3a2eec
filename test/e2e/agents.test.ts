// The Agents page in a real browser against the built console: the embedded agent is listed
// with its tools; an admin creates a token (the secret shown once, with a copy button), a real
// `ferry agent` joins with it through the console's agent routes and appears on the page, and
// revoking the token stops that agent; once silent, an admin retires it.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchBrowser, signInPage } from "../helpers/browser.ts";
import { consoleQuery } from "../helpers/console-db.ts";
import { ROOT, startConsole, tempDataDir, type ConsoleProcess } from "../helpers/console-process.ts";

const PORT = 3250;
const PG_PORT = 54401;
const shots = path.join(ROOT, "test-results", "screenshots");
mkdirSync(shots, { recursive: true });
const admin = { email: "agents-admin@example.test", password: "agents admin password" };

let running: ConsoleProcess;
let browser: Browser;
let page: Page;
let secret: string;

beforeAll(async () => {
  running = await startConsole({ port: PORT, pgPort: PG_PORT, env: { FERRY_ADMIN_EMAIL: admin.email, FERRY_ADMIN_PASSWORD: admin.password, FERRY_AGENT_HEARTBEAT_SECONDS: "1", FERRY_AGENT_TIMEOUT_SECONDS: "5" } });
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  await signInPage(page, running.url, admin);
});
afterAll(async () => {
  await browser?.close();
  await running?.stop("SIGTERM");
});

describe("the Agents page", () => {
  test("lists the console's embedded agent with its tools and versions", async () => {
    await page.getByRole("link", { name: "Agents" }).click();
    await page.waitForURL(/\/agents$/);
    const card = page.getByRole("region", { name: `Agent embedded@${os.hostname()}` });
    await card.waitFor();
    const tools = card.getByRole("list", { name: `Tools of embedded@${os.hostname()}` });
    expect(await tools.innerText()).toMatch(/qemu-img\s+\d+\.\d+/);
    expect(await tools.innerText()).toMatch(/virt-v2v-in-place\s+\d+\.\d+/);
    expect(await card.innerText()).toContain("connected");
    expect(await card.innerText()).toMatch(/free/);
    await page.screenshot({ path: path.join(shots, "agents-embedded.png"), fullPage: true });
  });

  test("an admin creates a token: the secret is shown once, with a copy button; only its hash is stored", async () => {
    const form = page.getByRole("form", { name: "New agent token" });
    await form.getByLabel(/^Name/).fill("conv-host-1");
    await form.getByRole("button", { name: "Create token" }).click();
    const shown = page.getByTestId("agent-token-secret");
    await shown.waitFor();
    secret = (await shown.innerText()).trim();
    expect(secret).toMatch(/^ferry_agt_[A-Za-z0-9_-]{32}$/);
    await page.getByRole("button", { name: "Copy the token" }).waitFor();
    expect(await page.getByText(`ferry agent --server ${running.url} --token ${secret}`).count()).toBe(1);
    const rows = await consoleQuery<{ name: string; token_hash: string }>(running.dataDir, PG_PORT, "SELECT name, token_hash FROM agent_tokens");
    expect(rows).toEqual([{ name: "conv-host-1", token_hash: createHash("sha256").update(secret).digest("hex") }]);
    await page.screenshot({ path: path.join(shots, "agents-token-created.png"), fullPage: true });

    await page.reload();
    await page.getByRole("cell", { name: "conv-host-1", exact: true }).waitFor();
    expect(await page.content()).not.toContain(secret);
    expect(await page.getByRole("cell", { name: `${secret.slice(0, 16)}…` }).count()).toBe(1);
  });

  test("a ferry agent joins with the token and is listed; revoking the token stops it; silent, it is retired", async () => {
    const scratch = tempDataDir("ferry-e2e-agent-");
    const child = spawn(process.execPath, [path.join(ROOT, "server/cli/ferry.mjs"), "agent", "--server", running.url, "--token", secret, "--name", "e2e-host", "--scratch", scratch], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    try {
      const card = page.getByRole("region", { name: "Agent e2e-host" });
      await card.waitFor({ timeout: 60_000 });
      expect(await card.innerText()).toContain("Remote, token conv-host-1");
      expect(await card.getByRole("list", { name: "Tools of e2e-host" }).innerText()).toMatch(/qemu-img\s+\d+\.\d+/);
      await page.screenshot({ path: path.join(shots, "agents-remote.png"), fullPage: true });

      await page.getByRole("button", { name: "Revoke conv-host-1" }).click();
      await page.getByText("Revoked conv-host-1: agents using it are refused from their next request.").waitFor();
      await page.getByRole("row", { name: /conv-host-1/ }).getByText(/^revoked /).waitFor();
      expect(await exited).toBe(1);
      expect(out).toMatch(/the console refused this agent: The agent token conv-host-1 was revoked on /);
      // Gone for good: once silent past the timeout it shows so, and an admin retires it.
      const card2 = page.getByRole("region", { name: "Agent e2e-host" });
      await card2.getByText(/^silent for \d+ s$/).waitFor({ timeout: 60_000 });
      await card2.getByRole("button", { name: "Retire e2e-host" }).click();
      await card2.waitFor({ state: "detached" });
      const audit = await consoleQuery<{ action: string; actor_email: string }>(running.dataDir, PG_PORT, "SELECT action, actor_email FROM audit_events WHERE target_type IN ('agent-token', 'agent') ORDER BY id");
      expect(audit).toEqual([
        { action: "agent-token.create", actor_email: admin.email },
        { action: "agent-token.revoke", actor_email: admin.email },
        { action: "agent.retire", actor_email: admin.email },
      ]);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
