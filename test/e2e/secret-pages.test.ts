// A planted secret through the real console: the console (production mode, its embedded
// PostgreSQL and agent) runs a conversion whose ssh credentials hold a planted password and a
// private key; its agent reads the remote disk over ssh from a loopback sshd, and then the
// conversion's page HTML, the list page, the stored rows, the audit trail and the console's own log are
// searched for the secret. The page must show the conversion (and its log), never the secret.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createConversion } from "../../server/conversions/create-conversion.ts";
import { createPrisma, type Db } from "../../server/db/client.ts";
import { consoleQuery } from "../helpers/console-db.ts";
import { signIn, startConsole, tempDataDir, type ConsoleProcess } from "../helpers/console-process.ts";
import { startSshd, type TestSshd } from "../helpers/sshd.ts";
import { rawImage, MiB } from "../integration/engine/helpers.ts";

const PORT = 3300;
const PG_PORT = 54481;
const PLANTED = `pl4nted-${randomBytes(6).toString("hex")}`;
const KEY = randomBytes(32).toString("base64");
const admin = { email: "secrets-admin@example.test", password: "correct horse battery" };
const savedKey = process.env.FERRY_SECRET_KEY;

let sshd: TestSshd;
let running: ConsoleProcess;
let prisma: Db;
const tmp = mkdtempSync(path.join(os.tmpdir(), "ferry-secrets-pages-"));
const disk = path.join(tmp, "remote", "blank.img");

const keyLines = () => sshd.clientKey.split("\n").filter((l) => l && !l.startsWith("-----"));
function expectNoSecret(text: string, where: string): void {
  expect(text.includes(PLANTED), `${where} holds the planted password`).toBe(false);
  for (const line of keyLines()) expect(text.includes(line), `${where} holds a line of the private key`).toBe(false);
}

beforeAll(async () => {
  process.env.FERRY_SECRET_KEY = KEY;
  mkdirSync(path.dirname(disk), { recursive: true });
  rawImage(disk, 64 * MiB, []);
  sshd = await startSshd({ port: 2224 });
  running = await startConsole({
    port: PORT,
    pgPort: PG_PORT,
    dataDir: tempDataDir("ferry-secrets-console-"),
    env: { FERRY_ADMIN_EMAIL: admin.email, FERRY_ADMIN_PASSWORD: admin.password, FERRY_SECRET_KEY: KEY },
  });
  const creds = JSON.parse(readFileSync(path.join(running.dataDir, "postgres-credentials.json"), "utf8")) as { user: string; password: string };
  prisma = createPrisma(`postgresql://${encodeURIComponent(creds.user)}:${encodeURIComponent(creds.password)}@127.0.0.1:${PG_PORT}/ferry`);
}, 900_000);

afterAll(async () => {
  if (savedKey === undefined) delete process.env.FERRY_SECRET_KEY;
  else process.env.FERRY_SECRET_KEY = savedKey;
  await prisma?.$disconnect();
  await running?.stop();
  await sshd?.stop();
  rmSync(tmp, { recursive: true, force: true });
  if (running) rmSync(running.dataDir, { recursive: true, force: true });
});

const xml = () => `<domain type='xen'>
  <name>remote-blank</name>
  <memory>524288</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>linux</type></os>
  <devices>
    <disk type='file' device='disk'><driver name='file'/><source file='${disk}'/><target dev='xvda' bus='xen'/></disk>
  </devices>
</domain>`;

describe("credentials never reach a page", () => {
  test("the console's agent reads the remote disk over ssh; page HTML, list, rows, audit and console log hold no secret", async () => {
    const row = await createConversion(prisma, { id: null, email: admin.email, ip: "127.0.0.1" }, {
      source: { method: "libvirtxml", xml: xml(), fileName: "remote-blank.xml", remote: { uri: sshd.uri, knownHosts: sshd.knownHosts } },
      output: { method: "local", storage: tmp },
      dryRun: true,
      credentials: { privateKey: sshd.clientKey, password: PLANTED },
    });
    // The console's embedded agent claims it, opens the credentials with the console's key and
    // inspects the blank disk over ssh: virt-v2v's no-OS error ends it.
    let status = "";
    for (let i = 0; i < 600 && !["failed", "planned", "succeeded"].includes(status); i++) {
      await new Promise((r) => setTimeout(r, 1000));
      status = (await consoleQuery<{ status: string }>(running.dataDir, PG_PORT, "SELECT status FROM conversions WHERE id = $1", [row.id]))[0]!.status;
    }
    const [done] = await consoleQuery<{ status: string; error: string; request: string }>(running.dataDir, PG_PORT, "SELECT status, error, request::text AS request FROM conversions WHERE id = $1", [row.id]);
    expect({ status: done!.status, error: done!.error }).toEqual({ status: "failed", error: "No root device found in this operating system image." });
    expectNoSecret(done!.request, "conversions.request");
    const logs = await consoleQuery<{ message: string }>(running.dataDir, PG_PORT, "SELECT message FROM conversion_logs WHERE conversion_id = $1 ORDER BY attempt, seq", [row.id]);
    const logText = logs.map((l) => l.message).join("\n");
    expect(logText).toContain(`Reading the source disks over ssh from ${sshd.user}@127.0.0.1:${sshd.port}`);
    expectNoSecret(logText, "conversion_logs");
    const audit = await consoleQuery<{ text: string }>(running.dataDir, PG_PORT, "SELECT coalesce(string_agg(after::text, E'\\n'), '') AS text FROM audit_events");
    expectNoSecret(audit[0]!.text, "audit_events");
    // The console's own output (its log) holds no secret either.
    expectNoSecret(running.logs(), "the console's log");

    const { cookie } = await signIn(running.url, admin.email, admin.password);
    expect(cookie).toBeTruthy();
    const page = await fetch(`${running.url}/conversions/${row.id}`, { headers: { cookie: cookie! } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("remote-blank");
    expect(html).toContain("No root device found in this operating system image.");
    expectNoSecret(html, "the conversion page");
    const list = await (await fetch(`${running.url}/conversions`, { headers: { cookie: cookie! } })).text();
    expect(list).toContain("remote-blank");
    expectNoSecret(list, "the conversions list");
  }, 900_000);
});
