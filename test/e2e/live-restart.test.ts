// A console restart under an open conversion page: the page shows "Reconnecting…", Socket.IO
// reconnects on its own when the console is back, the page resubscribes from the last line it
// holds, and in the end it shows every line the agent sent (before, during and after the
// restart) exactly once. The agent here is the test speaking the real agent HTTP protocol.
import { randomUUID } from "node:crypto";
import os from "node:os";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readCapabilities } from "../../server/agents/capabilities.ts";
import { AgentRequestError, httpTransport, type AgentTransport } from "../../server/agents/transport.ts";
import { toSeqColumns } from "../../server/log-columns.ts";
import { launchBrowser } from "../helpers/browser.ts";
import { consoleQuery } from "../helpers/console-db.ts";
import { startConsole, tempDataDir, type ConsoleProcess } from "../helpers/console-process.ts";

// Overridable so a second checkout can run this beside the suite.
const PORT = Number(process.env.FERRY_TEST_LIVE_PORT ?? 3274);
const PG_PORT = Number(process.env.FERRY_TEST_LIVE_PG_PORT ?? 54455);
const admin = { email: "restart-admin@example.test", password: "restart admin password" };
const env = { FERRY_EMBEDDED_AGENT: "0", FERRY_ADMIN_EMAIL: admin.email, FERRY_ADMIN_PASSWORD: admin.password };

let running: ConsoleProcess;
let browser: Browser;
let page: Page;
const q = <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) => consoleQuery<T>(running.dataDir, PG_PORT, sql, params);

beforeAll(async () => {
  running = await startConsole({ port: PORT, pgPort: PG_PORT, env });
  browser = await launchBrowser();
  page = await (await browser.newContext()).newPage();
  await page.goto(`${running.url}/sign-in`);
  await page.getByLabel(/^Email/).fill(admin.email);
  await page.getByLabel(/^Password/).fill(admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/conversions$/);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop("SIGTERM");
});

/**
 * Sends one batch of 20 lines, retrying while the console is down (as the agent's reporter
 * does: a passing failure only, for two minutes); any other refusal fails the test with its reason.
 */
async function send(agent: AgentTransport, job: { agentId: string; conversionId: string; attempt: number }, n: number): Promise<void> {
  const lines = Array.from({ length: 20 }, (_, i) => ({ seq: n * 20 + i, at: new Date().toISOString(), level: "info" as const, stage: "copy", message: `batch ${n} line ${i}` }));
  const until = Date.now() + 120_000;
  for (;;) {
    try {
      return await agent.logs({ ...job, lines: toSeqColumns(lines) });
    } catch (e) {
      if (!(e instanceof AgentRequestError) || e.kind !== "transient") throw e;
      if (Date.now() > until) throw new Error(`batch ${n} still not taken after 2 minutes: ${e.message}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

describe("a console restart under an open page", () => {
  test("the page reconnects by itself and ends with every line exactly once", async () => {
    const secret = `ferry_agt_${randomUUID().replace(/-/g, "")}`;
    const { createHash } = await import("node:crypto");
    await q(`INSERT INTO agent_tokens (id, name, token_hash, prefix, created_by_email) VALUES ($1, 'restart', $2, $3, $4)`, [randomUUID(), createHash("sha256").update(secret).digest("hex"), secret.slice(0, 16), admin.email]);
    const conversionId = randomUUID();
    const request = { source: { method: "libvirt", uri: "qemu:///system", guest: "restart1" }, output: { method: "local", storage: "/var/tmp" }, dryRun: false };
    await q(`INSERT INTO conversions (id, guest_name, status, request, plan, created_by_email, updated_at) VALUES ($1, 'restart1', 'queued', $2, $3, $4, now())`, [conversionId, JSON.stringify(request), JSON.stringify({ version: 1, disks: [], nics: [], output: { method: "local", storage: "/var/tmp", format: "raw", allocation: "sparse" } }), admin.email]);
    const agent = httpTransport(running.url, secret);
    const reg = await agent.register({ name: "restart-host", hostname: os.hostname(), version: "test", concurrency: 1, capabilities: await readCapabilities({ scratchDir: tempDataDir("ferry-e2e-restart-"), concurrency: 1 }) });
    const claimed = await agent.claim(reg.agentId);
    expect(claimed?.id).toBe(conversionId);
    const job = { agentId: reg.agentId, conversionId, attempt: claimed!.attempt };

    // Each phase on stderr, so a run that stalls says where.
    const started = Date.now();
    const phase = (what: string) => process.stderr.write(`live-restart: ${what} (+${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    await page.goto(`${running.url}/conversions/${conversionId}`);
    await page.locator("[data-testid=live-state][data-state=live]").waitFor();
    for (let n = 0; n < 5; n++) await send(agent, job, n);
    await page.locator("[data-testid=live-log][data-last='100']").waitFor();

    // The console goes away while the agent keeps working: lines 101..200 wait on the agent's side.
    phase("100 lines shown; stopping the console");
    await running.stop("SIGTERM");
    await page.locator("[data-testid=live-state][data-state=offline]").waitFor();
    phase("the page says offline; starting the console again");
    const pending = (async () => {
      for (let n = 5; n < 10; n++) await send(agent, job, n);
    })();
    running = await startConsole({ port: PORT, pgPort: PG_PORT, dataDir: running.dataDir, env });
    phase("console started");
    await pending;
    phase("lines 101-200 taken");
    for (let n = 10; n < 15; n++) await send(agent, job, n);
    phase("lines 201-300 taken");

    await page.locator("[data-testid=live-state][data-state=live]").waitFor({ timeout: 60_000 });
    await page.locator("[data-testid=live-log][data-last='300']").waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("live-log").getAttribute("data-count")).toBe("300");
    const shown = await page.evaluate(async () => {
      const box = document.querySelector<HTMLElement>("[data-testid=log-scroll]")!;
      const seen = new Map<number, string>();
      for (let top = 0; top <= box.scrollHeight; top += box.clientHeight / 2) {
        box.scrollTop = top;
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        for (const row of box.querySelectorAll<HTMLElement>("[data-line]")) seen.set(Number(row.dataset.line), row.querySelector("[data-testid=log-message]")?.textContent ?? "");
      }
      return [...seen.entries()].sort((a, b) => a[0] - b[0]);
    });
    const stored = await q<{ line: number; message: string }>("SELECT line, message FROM conversion_logs WHERE conversion_id = $1 ORDER BY line", [conversionId]);
    expect(stored.length).toBe(300);
    expect(shown).toEqual(stored.map((r) => [r.line, r.message]));

    // The conversion the restart happened under completes, and the page says so.
    await agent.result({ ...job, status: "succeeded", result: {} });
    const [row] = await q<{ status: string }>("SELECT status FROM conversions WHERE id = $1", [conversionId]);
    expect(row!.status).toBe("succeeded");
    expect(await q("SELECT attempt, seq FROM conversion_logs WHERE conversion_id = $1 GROUP BY attempt, seq HAVING count(*) > 1", [conversionId])).toEqual([]);
  }, 300_000);
});
