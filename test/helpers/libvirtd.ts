// A real libvirtd for tests, on machines without systemd (CI, these hosts): starts virtlogd and
// libvirtd when nothing answers yet, then hands out uniquely named dir pools and removes test
// domains. The daemons are left running for the next test file (starting them is idempotent).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** As root (CI) the system daemon; otherwise the per-user daemon virsh starts itself. */
export const LIBVIRT_URI = process.getuid?.() === 0 ? "qemu:///system" : "qemu:///session";

const VIRTLOGD_SOCKET = "/run/libvirt/virtlogd-sock";
const START_TIMEOUT_MS = 30_000;

/** `virsh -c URI ARGS...`; throws with virsh's stderr on failure. */
export function virsh(uri: string, ...args: string[]): string {
  const result = spawnSync("virsh", ["-c", uri, ...args], { encoding: "utf8", timeout: 60_000 });
  if (result.status !== 0) {
    throw new Error(`virsh -c ${uri} ${args.join(" ")} failed (${result.status ?? result.signal}): ${result.stderr.trim()}`);
  }
  return result.stdout;
}

function answers(uri: string): boolean {
  return spawnSync("virsh", ["-c", uri, "uri"], { stdio: "ignore", timeout: 10_000 }).status === 0;
}

async function waitFor(what: string, ready: () => boolean): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`${what} did not come up within ${START_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function daemon(program: string): void {
  const result = spawnSync(program, ["-d"], { stdio: "ignore" });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") {
    throw new Error(`${program} is not installed (Debian packages libvirt-daemon-system qemu-system-x86)`);
  }
}

/**
 * Makes sure a libvirtd answers on LIBVIRT_URI and returns that URI. As root: `virtlogd -d` and
 * `libvirtd -d` (no systemd here). Both take a pid-file lock, so starting one that already
 * runs (or racing another test process) just exits, and a socket file left by a daemon that
 * died is replaced by the new one.
 */
export async function ensureLibvirtd(): Promise<string> {
  if (answers(LIBVIRT_URI)) return LIBVIRT_URI;
  if (process.getuid?.() !== 0) {
    throw new Error(`libvirtd does not answer on ${LIBVIRT_URI} (virsh starts a session daemon itself; is libvirt-daemon installed?)`);
  }
  daemon("virtlogd");
  await waitFor("virtlogd", () => existsSync(VIRTLOGD_SOCKET));
  daemon("libvirtd");
  await waitFor("libvirtd", () => answers(LIBVIRT_URI));
  return LIBVIRT_URI;
}

export type TestPool = { name: string; path: string; destroy: () => void };

/** A started dir pool named `ferry-PREFIX-PID-RANDOM` over a fresh temp directory. */
export function createDirPool(uri: string, prefix: string): TestPool {
  const name = `ferry-${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const path = mkdtempSync(join(tmpdir(), `${name}-`));
  virsh(uri, "pool-define-as", name, "dir", "--target", path);
  virsh(uri, "pool-build", name);
  virsh(uri, "pool-start", name);
  return { name, path, destroy: () => destroyPool(uri, name, path) };
}

/** Stops and undefines a pool (if it is still there) and removes its directory. */
export function destroyPool(uri: string, name: string, path?: string): void {
  spawnSync("virsh", ["-c", uri, "pool-destroy", name], { stdio: "ignore" });
  spawnSync("virsh", ["-c", uri, "pool-undefine", name], { stdio: "ignore" });
  if (path) rmSync(path, { recursive: true, force: true });
}

export function domainExists(uri: string, name: string): boolean {
  return virsh(uri, "list", "--all", "--name")
    .split("\n")
    .some((line) => line.trim() === name);
}

/** Removes test domains (stopping any that run); missing ones are fine. */
export function undefineDomains(uri: string, ...names: string[]): void {
  for (const name of names) {
    if (!domainExists(uri, name)) continue;
    spawnSync("virsh", ["-c", uri, "destroy", name], { stdio: "ignore" });
    execFileSync("virsh", ["-c", uri, "undefine", "--nvram", name], { stdio: "ignore" });
  }
}

/** Volume names libvirt lists in a pool (after a refresh, so it sees what is on disk). */
export function poolVolumes(uri: string, pool: string): string[] {
  virsh(uri, "pool-refresh", pool);
  return virsh(uri, "vol-list", "--pool", pool)
    .split("\n")
    .slice(2)
    .map((line) => line.trim().split(/\s+/)[0] ?? "")
    .filter((name) => name !== "");
}
