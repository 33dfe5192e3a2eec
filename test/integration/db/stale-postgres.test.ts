// A start finds postmaster.pid in its data directory. The pid in it is stopped only when that
// process really works in this data directory (a postgres left by a console killed with
// SIGKILL). A file left by a postgres that died with the machine names a pid Linux may have
// given since to any process: that process must not get the SIGINT.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { stopStale } from "../../../server/db/embedded-postgres.ts";

const root = mkdtempSync(join(tmpdir(), "ferry-stale-pg-"));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  rmSync(root, { recursive: true, force: true });
});

function sleeper(cwd: string): ChildProcess {
  const child = spawn("sleep", ["300"], { cwd, stdio: "ignore" });
  children.push(child);
  return child;
}

function pgDirWithPid(name: string, pid: number): string {
  const dir = join(root, name, "postgres");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "postmaster.pid"), `${pid}\n${dir}\n1700000000\n5432\n`);
  return dir;
}

const exited = (c: ChildProcess) => new Promise<NodeJS.Signals | null>((r) => (c.exitCode !== null || c.signalCode !== null ? r(c.signalCode) : c.once("exit", (_code, signal) => r(signal))));

test("a pid file naming an unrelated process leaves that process alone", async () => {
  const other = sleeper(root);
  const dir = pgDirWithPid("reused", other.pid!);
  await stopStale(dir);
  await new Promise((r) => setTimeout(r, 300));
  expect(other.exitCode).toBeNull();
  expect(other.signalCode).toBeNull();
});

test("a pid file naming a process that works in the data directory: that process gets SIGINT", async () => {
  const dir = join(root, "held", "postgres");
  mkdirSync(dir, { recursive: true });
  const holder = sleeper(dir);
  pgDirWithPid("held", holder.pid!);
  await stopStale(dir);
  expect(await exited(holder)).toBe("SIGINT");
});

test("a pid file naming no live process is ignored", async () => {
  const gone = sleeper(root);
  gone.kill("SIGKILL");
  await exited(gone);
  await expect(stopStale(pgDirWithPid("dead", gone.pid!))).resolves.toBeUndefined();
});
