// Automation against a running console: API tokens made in a signed-in session, the API's own
// description served, the access rules at the HTTP edge, and `ferry convert --server` (the
// real CLI process, FERRY_TOKEN) submitting conversions that the console's embedded agent runs:
// one that fails at the source (exit 1, the error streamed), one interrupted with Ctrl-C
// without a terminal (cancelled, exit 1), and the RHEL 5.4 Xen guest converted to -o local with
// the kernel RPM uploaded through the API into a repository bound to a team layer (exit 0, the
// log streamed, NAME-sda and NAME.xml written); and on a terminal, Ctrl-C's question answered
// with detach (exit 0, the conversion left running).
import { execFile, execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { hashPassword } from "better-auth/crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { applyImport } from "../../server/config/apply-import.ts";
import { createLayer } from "../../server/config/create-layer.ts";
import { createPrisma, type Db } from "../../server/db/client.ts";
import { consoleQuery } from "../helpers/console-db.ts";
import { ROOT, startConsole, tempDataDir, type ConsoleProcess } from "../helpers/console-process.ts";
import { RHEL5_KERNEL_PATH, RHEL5_KERNEL_RPM, buildRhel5Guest, rhel5SiteConf, type Rhel5Guest } from "../helpers/rhel5-guest.ts";

const PORT = 3290;
const PG_PORT = 54471;
const NAME = "ferry-remote-rhel54";
const admin = { email: "api-admin@example.test", password: "api admin password 1" };
const operator = { email: "api-operator@example.test", password: "api operator password" };
const viewer = { email: "api-viewer@example.test", password: "api viewer password 1" };
const work = tempDataDir("ferry-e2e-api-");
let running: ConsoleProcess;
let prisma: Db;
let guest: Rhel5Guest;
const tokens = { admin: "", operator: "", viewer: "" };

async function addUser(who: { email: string; password: string }, role: string): Promise<void> {
  const id = randomUUID();
  const q = (sql: string, params: unknown[]) => consoleQuery(running.dataDir, PG_PORT, sql, params);
  await q(`INSERT INTO users (id, name, email, email_verified, role, updated_at) VALUES ($1, $2, $3, true, $4, now())`, [id, role, who.email, role]);
  await q(`INSERT INTO accounts (id, account_id, provider_id, user_id, password, updated_at) VALUES ($1, $2, 'credential', $2, $3, now())`, [randomUUID(), id, await hashPassword(who.password)]);
}

async function sessionCookie(who: { email: string; password: string }): Promise<string> {
  const res = await fetch(`${running.url}/api/auth/sign-in/email`, { method: "POST", headers: { "content-type": "application/json", origin: running.url }, body: JSON.stringify(who) });
  expect(res.status).toBe(200);
  return res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

async function api(method: string, route: string, token: string | undefined, body?: unknown, raw?: Buffer): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  return fetch(`${running.url}/api/v1${route}`, { method, headers, body: body !== undefined ? JSON.stringify(body) : raw ? new Uint8Array(raw) : undefined });
}

type Run = { status: number | null; stdout: string; stderr: string };

function ferry(args: string[], token: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["server/cli/ferry.mjs", "convert", "--server", running.url, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, FERRY_TOKEN: token, FERRY_POLL_MS: "300" }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  guest = await buildRhel5Guest(join(work, "guest"), { name: NAME });
  running = await startConsole({ port: PORT, pgPort: PG_PORT, env: { FERRY_ADMIN_EMAIL: admin.email, FERRY_ADMIN_PASSWORD: admin.password, FERRY_AGENT_HEARTBEAT_SECONDS: "1", FERRY_SOURCE_DIRS: work } });
  await addUser(operator, "operator");
  await addUser(viewer, "viewer");
  const creds = JSON.parse(readFileSync(join(running.dataDir, "postgres-credentials.json"), "utf8")) as { user: string; password: string };
  prisma = createPrisma(`postgresql://${encodeURIComponent(creds.user)}:${encodeURIComponent(creds.password)}@127.0.0.1:${PG_PORT}/ferry`);
  for (const [name, who] of [["admin", admin], ["operator", operator], ["viewer", viewer]] as const) {
    const cookie = await sessionCookie(who);
    const res = await fetch(`${running.url}/api/v1/tokens`, { method: "POST", headers: { cookie, "content-type": "application/json", origin: running.url }, body: JSON.stringify({ name: `${name} script`, expiresInDays: 2 }) });
    expect(res.status).toBe(201);
    tokens[name] = ((await res.json()) as { secret: string }).secret;
  }
}, 900_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await running?.stop();
});

describe("the API at the HTTP edge", () => {
  test("its description is public: OpenAPI 3.1 JSON and a readable page", async () => {
    const doc = (await (await api("GET", "/openapi.json", undefined)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/conversions/{id}/log");
    const page = await api("GET", "/docs", undefined);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("POST /api/v1/conversions");
  });

  test("anonymous 401, a viewer's token 403 on a change, one error shape", async () => {
    expect(await (await api("GET", "/conversions", undefined)).json()).toEqual({ error: { code: "UNAUTHENTICATED", message: "Sign in to continue." } });
    const refused = await api("POST", "/conversions", tokens.viewer, { source: { method: "libvirt", uri: "test:///default", guest: "g" }, output: { storage: "default" } });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: { code: "FORBIDDEN", message: "Your role (viewer) does not allow this (conversion:start)." } });
    expect((await api("GET", "/conversions", tokens.viewer)).status).toBe(200);
  });
});

describe("ferry convert --server", () => {
  test("a guest whose disk is not on the agent host: the failure streamed, exit 1", async () => {
    const xml = join(work, "missing-disk.xml");
    writeFileSync(xml, readFileSync(guest.xml, "utf8").replace(guest.disk, join(work, "nonexistent", "disk.img")).replace(`<name>${NAME}</name>`, "<name>ferry-missing-disk</name>"));
    const r = await ferry(["-i", "libvirtxml", xml, "-o", "local", "-os", work], tokens.operator);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^Conversion #\d+ \(ferry-missing-disk\) queued on http:\/\/127\.0\.0\.1:3290\n/);
    expect(r.stdout).toMatch(/\] Setting up the source: -i libvirtxml /);
    // Inside FERRY_SOURCE_DIRS, so it is the missing file that fails it, not the allow-list.
    expect(r.stderr).toMatch(/ferry: conversion #\d+ failed: .*\/nonexistent\/disk\.img/);
    expect(r.stderr).not.toMatch(/not in a directory this agent may read/);
  }, 300_000);

  test("Ctrl-C without a terminal cancels the conversion on the console, exit 1", async () => {
    const out = join(work, "cancelled");
    mkdirSync(out);
    const child = spawn(process.execPath, ["server/cli/ferry.mjs", "convert", "--server", running.url, "-i", "libvirtxml", guest.xml, "-o", "local", "-os", out, "-of", "qcow2"], {
      cwd: ROOT,
      env: { ...process.env, FERRY_TOKEN: tokens.operator, FERRY_POLL_MS: "300" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const status = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await new Promise<void>((resolve) =>
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes("Setting up the source")) resolve();
      }),
    );
    child.kill("SIGINT");
    expect(await status).toBe(1);
    expect(stderr).toMatch(/ferry: cancelling conversion #\d+\.\.\.\n/);
    expect(stderr).toMatch(/ferry: conversion #\d+ cancelled/);
    const number = Number(/#(\d+)/.exec(stdout)![1]);
    const rows = await prisma.conversion.findMany({ where: { number } });
    expect(rows[0]!.status).toBe("cancelled");
    expect(existsSync(join(out, `${NAME}.xml`))).toBe(false);
  }, 600_000);

  test("the RHEL 5.4 guest to -o local: the kernel uploaded through the API, the log streamed, exit 0", async () => {
    const repo = (await (await api("POST", "/repositories", tokens.admin, { name: "RHEL kernels" })).json()) as { repository: { id: string } };
    const kernelPath = RHEL5_KERNEL_PATH;
    const up = await api("PUT", `/repositories/${repo.repository.id}/files?path=${kernelPath}`, tokens.admin, undefined, readFileSync(guest.kernelRpm));
    expect(up.status).toBe(201);
    const system = { id: null, email: "e2e@example.test" };
    const layer = await createLayer(prisma, system, { name: "Site", repositoryId: repo.repository.id });
    await applyImport(prisma, system, {
      layerId: layer.id,
      baseRevision: layer.headRevision,
      fileName: "site.conf",
      text: rhel5SiteConf(),
    });

    // With its NIC on bridge xenbr0, which this host lacks: -o local only writes NAME.xml for
    // another host, so the agent does not ask for the bridge.
    const xml = guest.xml;
    const out = join(work, "out");
    mkdirSync(out);
    const started = Date.now();
    const r = await ferry(["-i", "libvirtxml", xml, "-o", "local", "-os", out, "-of", "qcow2", "-oa", "sparse"], tokens.operator);
    console.log(`ferry convert --server (embedded agent, whole pipeline): ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(new RegExp(`^Conversion #\\d+ \\(${NAME}\\) queued on `));
    for (const want of [/\] Setting up the source: -i libvirtxml /, /\] Inspecting the source$/, /\] Transferring storage volume /]) {
      expect(lines.some((l) => want.test(l)), String(want)).toBe(true);
    }
    expect(r.stdout).toMatch(/Conversion #\d+ succeeded\.\n$/);
    expect(r.stdout).not.toContain("\r");
    const disk = join(out, `${NAME}-sda`);
    expect(readFileSync(join(out, `${NAME}.xml`), "utf8")).toContain(disk);
    // The kernel from the API's repository went in (inside the disk, the guest tests look: one
    // more appliance start is not needed here), and the disk is in the format asked for.
    expect(r.stdout).toMatch(new RegExp(`Installed \\S*${RHEL5_KERNEL_RPM.replace(/\./g, "\\.")} alongside the existing kernel \\(rpm -i\\)`));
    expect(JSON.parse(execFileSync("qemu-img", ["info", "--output=json", disk], { encoding: "utf8" })).format).toBe("qcow2");

    const audit = await prisma.auditEvent.findMany({ where: { action: "api-token.use" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => (a.after as { method: string; path: string }).path)).toEqual(expect.arrayContaining(["/conversions", "/repositories"]));
  }, 1_200_000);

  test("on a terminal, Ctrl-C asks; detaching leaves the conversion running on the console, exit 0", async () => {
    // util-linux `script` gives the CLI a pseudo-terminal: ^C typed there is the terminal's SIGINT.
    // `script` runs the command with `$SHELL -c`; dash (Debian's /bin/sh, used when SHELL is
    // unset, as in CI) does not exec a lone command, and dies of that SIGINT itself: `exec` makes
    // the CLI the terminal's only process, as it is when a person types `ferry` at a prompt.
    const out = join(work, "detached");
    mkdirSync(out);
    const xml = join(work, "detached.xml");
    writeFileSync(xml, readFileSync(guest.xml, "utf8").replace(/<interface[\s\S]*?<\/interface>\s*/, ""));
    const cmd = `exec ${process.execPath} server/cli/ferry.mjs convert --server ${running.url} -i libvirtxml ${xml} -o local -os ${out} -on ferry-detached`;
    const child = spawn("script", ["-qfec", cmd, "/dev/null"], { cwd: ROOT, env: { ...process.env, FERRY_TOKEN: tokens.operator, FERRY_POLL_MS: "300" }, stdio: ["pipe", "pipe", "pipe"] });
    let seen = "";
    const status = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const waitFor = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => seen.includes(text) && resolve();
        child.stdout.on("data", (d: Buffer) => {
          seen += d.toString();
          check();
        });
        check();
      });
    await waitFor("Setting up the source");
    child.stdin.write("\x03");
    await waitFor("[c]ancel it, [d]etach (it continues), or [r]esume following?");
    child.stdin.write("d\r");
    expect(await status, seen).toBe(0);
    expect(seen).toMatch(/Detached: conversion #(\d+) continues on the server/);
    const number = Number(/Detached: conversion #(\d+)/.exec(seen)![1]);
    const row = await prisma.conversion.findFirstOrThrow({ where: { number } });
    expect(["queued", "running"]).toContain(row.status);
    // Leave the agent free: cancel it through the API and wait until it is.
    expect((await api("POST", `/conversions/${row.id}/cancel`, tokens.operator)).status).toBe(200);
    for (let i = 0; i < 600; i++) {
      const now = (await (await api("GET", `/conversions/${row.id}`, tokens.operator)).json()) as { status: string };
      if (now.status === "cancelled") return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error("the detached conversion was not cancelled");
  }, 600_000);
});
