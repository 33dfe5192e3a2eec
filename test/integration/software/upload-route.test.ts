// The upload route of a running console (the real server.ts as a child process): a file larger
// than 1 GiB, created sparse on the fly, streams to disk while the console's peak memory stays
// flat, and its stored sha256 is the file's. Also: the route's session and role checks, and an
// upload dropped half-way leaving nothing behind.
import { randomUUID, createHash } from "node:crypto";
import { createReadStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { hashPassword } from "better-auth/crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { consoleQuery } from "../../helpers/console-db.ts";
import { signIn, startConsole, type ConsoleProcess } from "../../helpers/console-process.ts";

const PG_PORT = 54351;
const admin = { email: "upload-admin@example.test", password: "upload admin password" };
const viewer = { email: "upload-viewer@example.test", password: "upload viewer password" };
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

let running: ConsoleProcess;
let adminCookie: string;
let viewerCookie: string;
let repoId: string;
let scratch: string;

function vmHWM(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmHWM:"))!;
  return Number(/(\d+)/.exec(line)![1]) * 1024;
}

type Reply = { status: number; json: { file?: { size: number; sha256: string; path: string }; error?: { code: string; message: string } } };

/** POSTs a file's bytes as the body, streamed from disk, with its Content-Length. */
function upload(p: string, file: string, size: number, cookie: string | null): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${running.url}/api/repositories/${repoId}/files?path=${encodeURIComponent(p)}`,
      { method: "POST", headers: { "content-type": "application/octet-stream", "content-length": String(size), ...(cookie ? { cookie } : {}) } },
      (res) => {
        let text = "";
        res.on("data", (d: Buffer) => (text += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode!, json: JSON.parse(text) as Reply["json"] }));
      },
    );
    req.on("error", reject);
    createReadStream(file).pipe(req);
  });
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(file, { highWaterMark: 4 * MiB }), hash);
  return hash.digest("hex");
}

function repoDir(): string {
  return path.join(running.dataDir, "repositories", repoId);
}

async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting until ${what}`);
}

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), "ferry-upload-"));
  running = await startConsole({ port: 3220, pgPort: PG_PORT, env: { FERRY_ADMIN_EMAIL: admin.email, FERRY_ADMIN_PASSWORD: admin.password, FERRY_SIGNIN_ATTEMPTS_PER_MINUTE: "50" } });
  adminCookie = (await signIn(running.url, admin.email, admin.password)).cookie!;
  // A viewer, written straight into the console's database.
  const id = randomUUID();
  await consoleQuery(running.dataDir, PG_PORT, `INSERT INTO users (id, name, email, email_verified, role, updated_at) VALUES ($1, 'Vi', $2, true, 'viewer', now())`, [id, viewer.email]);
  await consoleQuery(running.dataDir, PG_PORT, `INSERT INTO accounts (id, account_id, provider_id, user_id, password, updated_at) VALUES ($1, $2, 'credential', $2, $3, now())`, [randomUUID(), id, await hashPassword(viewer.password)]);
  viewerCookie = (await signIn(running.url, viewer.email, viewer.password)).cookie!;
  const created = await fetch(`${running.url}/api/repositories`, { method: "POST", headers: { cookie: adminCookie, "content-type": "application/json", origin: running.url }, body: JSON.stringify({ name: "Big files" }) });
  expect(created.status).toBe(201);
  repoId = ((await created.json()) as { repository: { id: string } }).repository.id;
});
afterAll(async () => {
  await running?.stop("SIGTERM");
  if (running) rmSync(running.dataDir, { recursive: true, force: true });
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("the upload route", () => {
  test("refuses a caller without a session (401) and a viewer (403), in the JSON error shape, storing nothing", async () => {
    const small = path.join(scratch, "small.rpm");
    writeFileSync(small, "small");
    const anonymous = await upload("small.rpm", small, 5, null);
    expect(anonymous).toEqual({ status: 401, json: { error: { code: "UNAUTHENTICATED", message: "Sign in to continue." } } });
    const asViewer = await upload("small.rpm", small, 5, viewerCookie);
    expect(asViewer).toEqual({ status: 403, json: { error: { code: "FORBIDDEN", message: "Your role (viewer) does not allow this (software:write)." } } });
    const listed = await fetch(`${running.url}/api/repositories/${repoId}/files`, { headers: { cookie: viewerCookie } });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { files: unknown[] }).files).toEqual([]);
    const del = await fetch(`${running.url}/api/repositories/${repoId}/files?path=small.rpm`, { method: "DELETE", headers: { cookie: viewerCookie } });
    expect(del.status).toBe(403);
  });

  test("refuses an escaping path with 422 naming it", async () => {
    const small = path.join(scratch, "small.rpm");
    const reply = await upload("../../secret", small, 5, adminCookie);
    expect(reply.status).toBe(422);
    const message = 'The path "../../secret" has a ".." segment: paths stay inside the repository.';
    expect(reply.json.error).toEqual({ code: "INVALID_INPUT", message, fields: { path: [message] } });
  });

  test(
    "a 1.2 GiB sparse file uploads with the console's peak memory flat, and its sha256 is recorded",
    async () => {
      const big = path.join(scratch, "big.img");
      const size = Math.round(1.2 * GiB);
      const fh = await open(big, "w");
      await fh.truncate(size);
      for (const [offset, text] of [[0, "head"], [512 * MiB + 17, "middle"], [size - 4, "tail"]] as const) await fh.write(Buffer.from(text), 0, text.length, offset);
      await fh.close();
      const expected = await sha256Of(big);

      // Warm up the route (first requests load its code), then take the baseline.
      const small = path.join(scratch, "small.rpm");
      expect((await upload("warmup/small.rpm", small, 5, adminCookie)).status).toBe(201);
      const pid = running.child.pid!;
      const before = vmHWM(pid);
      const started = performance.now();
      const reply = await upload("images/big.img", big, size, adminCookie);
      const seconds = (performance.now() - started) / 1000;
      const after = vmHWM(pid);

      expect(reply.status).toBe(201);
      expect(reply.json.file).toMatchObject({ path: "images/big.img", size, sha256: expected });
      const [row] = await consoleQuery<{ size: string; sha256: string; uploaded_by_email: string }>(running.dataDir, PG_PORT, "SELECT size::text, sha256, uploaded_by_email FROM repository_files WHERE path = 'images/big.img'");
      expect(row).toEqual({ size: String(size), sha256: expected, uploaded_by_email: admin.email });
      const stored = path.join(repoDir(), "images/big.img");
      expect(await sha256Of(stored)).toBe(expected);
      process.stderr.write(
        `upload: ${(size / MiB).toFixed(0)} MiB in ${seconds.toFixed(1)} s (${(size / MiB / seconds).toFixed(0)} MiB/s); console VmHWM ${(before / MiB).toFixed(0)} -> ${(after / MiB).toFixed(0)} MiB (+${((after - before) / MiB).toFixed(1)} MiB)\n`,
      );
      expect(after - before).toBeLessThan(256 * MiB);
      expect(readdirSync(repoDir()).filter((n) => n.startsWith(".ferry-"))).toEqual([]);

      // The download streams it back (checked on the first bytes only). Next 16 drops a route
      // handler's Content-Length (send-response.js), so the length is not asserted here.
      const res = await fetch(`${running.url}/api/repositories/${repoId}/files/download?path=images%2Fbig.img`, { headers: { cookie: viewerCookie } });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-content-sha256")).toBe(expected);
      expect(res.headers.get("content-disposition")).toContain('filename="big.img"');
      const reader = res.body!.getReader();
      const first = await reader.read();
      expect(Buffer.from(first.value!).subarray(0, 4).toString()).toBe("head");
      await reader.cancel();
      rmSync(big);
    },
    600_000,
  );

  test("an upload dropped half-way leaves no temporary file and no row", async () => {
    const rows = async () => (await consoleQuery<{ n: string }>(running.dataDir, PG_PORT, "SELECT count(*)::text AS n FROM repository_files WHERE path = 'dropped.bin'"))[0]!.n;
    await new Promise<void>((resolve) => {
      const req = http.request(`${running.url}/api/repositories/${repoId}/files?path=dropped.bin`, {
        method: "POST",
        headers: { "content-length": String(64 * MiB), cookie: adminCookie },
      });
      req.on("error", () => resolve());
      req.write(Buffer.alloc(8 * MiB, 1));
      // Wait until the server has started writing, then cut the connection.
      void until(() => readdirSync(repoDir()).some((n) => n.startsWith(".ferry-upload-")), "the upload's temporary file appeared").then(() => req.destroy());
    });
    await until(() => !readdirSync(repoDir()).some((n) => n.startsWith(".ferry-")), "the temporary file was removed");
    expect(await rows()).toBe("0");
    expect(existsSync(path.join(repoDir(), "dropped.bin"))).toBe(false);
    // An interrupted upload is the client's doing, not a console fault to log as one.
    expect(running.logs()).not.toContain("route failed");
  });
});
