// Starts the real console (server.ts, production mode, embedded PostgreSQL) as a child process
// on its own ports and data directory, and stops it with a signal.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");

export type ConsoleProcess = {
  url: string;
  dataDir: string;
  child: ChildProcess;
  logs: () => string;
  /** Signals the console and waits for it to exit (at most `ms`, default 2 minutes: then SIGKILL and an error with its last output). */
  stop: (signal?: NodeJS.Signals, ms?: number) => Promise<number | null>;
};

export function tempDataDir(prefix = "ferry-e2e-"): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startConsole(opts: { port: number; pgPort: number; dataDir?: string; env?: Record<string, string | undefined>; readyTimeoutMs?: number }): Promise<ConsoleProcess> {
  const dataDir = opts.dataDir ?? tempDataDir();
  const env: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: undefined,
    DATABASE_URL: undefined,
    FERRY_ADMIN_EMAIL: undefined,
    FERRY_ADMIN_PASSWORD: undefined,
    PORT: String(opts.port),
    HOST: "127.0.0.1",
    FERRY_DATA_DIR: dataDir,
    FERRY_PG_PORT: String(opts.pgPort),
    FERRY_PUBLIC_URL: undefined,
    ...opts.env,
  };
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], { cwd: ROOT, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

  await new Promise<void>((resolve, reject) => {
    const ms = opts.readyTimeoutMs ?? 120_000;
    const timer = setTimeout(() => {
      child.kill(); // not left running (with its database) after the caller gave up on it
      reject(new Error(`console did not start within ${ms / 1000} s:\n${out}`));
    }, ms);
    const check = () => {
      if (out.includes("Ferry is ready at")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", check);
    child.stderr!.on("data", check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`console exited (code ${code}) before it was ready:\n${out}`));
    });
  });

  return {
    url: `http://127.0.0.1:${opts.port}`,
    dataDir,
    child,
    logs: () => out,
    stop: async (signal = "SIGTERM", ms = 120_000) => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      // A console that does not stop is a failure that says so, not a test waiting for ever.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), ms)));
      const code = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (code !== "late") return code;
      child.kill("SIGKILL");
      await exited;
      throw new Error(`the console did not stop within ${ms / 1000} s of ${signal}; its last output:\n${out.split("\n").slice(-30).join("\n")}`);
    },
  };
}

/** Processes whose command line mentions `needle` (e.g. postgres serving a data dir). */
export function processesMentioning(needle: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
      if (cmd.includes(needle) && Number(pid) !== process.pid) found.push(`${pid}: ${cmd}`);
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** Signs in through better-auth's HTTP endpoint as a browser would; returns the Cookie header. */
export async function signIn(url: string, email: string, password: string, extraHeaders: Record<string, string> = {}): Promise<{ status: number; cookie: string | null; body: unknown }> {
  const res = await fetch(`${url}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url, ...extraHeaders },
    body: JSON.stringify({ email, password }),
  });
  const setCookie = res.headers.getSetCookie();
  const cookie = setCookie.length ? setCookie.map((c) => c.split(";")[0]).join("; ") : null;
  return { status: res.status, cookie, body: await res.json().catch(() => null) };
}
