// The real programs behind the pipeline, behind one wrapper: where they are, which version,
// which Debian package brings a missing one, and `run`, which spawns a program in its own
// process group so that cancelling a stage kills it and everything it started.
import { spawn } from "node:child_process";
import { accessSync, constants, readdirSync } from "node:fs";
import { basename, delimiter, join } from "node:path";
import type { StageContext } from "./context.ts";
import { procStat } from "../proc-stat.ts";
import { CancelledError, MissingToolsError, ToolFailedError } from "./errors.ts";

export type ToolName = "qemu-img" | "xorriso" | "guestfish" | "virt-inspector" | "virt-v2v-in-place" | "virsh" | "nbdcopy" | "nbdkit";

type ToolSpec = { package: string; versionArgs: string[] };

export const TOOLS: Record<ToolName, ToolSpec> = {
  "qemu-img": { package: "qemu-utils", versionArgs: ["--version"] },
  xorriso: { package: "xorriso", versionArgs: ["-version"] },
  // The pipeline's appliance: inspection and the software install (guest-session.ts).
  guestfish: { package: "libguestfs-tools", versionArgs: ["--version"] },
  // `ferry plan` (a plan without a conversion) inspects with it.
  "virt-inspector": { package: "libguestfs-tools", versionArgs: ["--version"] },
  "virt-v2v-in-place": { package: "virt-v2v", versionArgs: ["--version"] },
  virsh: { package: "libvirt-clients", versionArgs: ["--version"] },
  nbdcopy: { package: "libnbd-bin", versionArgs: ["--version"] },
  // Remote sources (ssh, esx://): its ssh and curl plugins ship in the same package.
  nbdkit: { package: "nbdkit", versionArgs: ["--version"] },
};

export const TOOL_NAMES = Object.keys(TOOLS) as ToolName[];

/**
 * Programs that launch the libguestfs appliance. QEMU here has no usable KVM (it aborts with
 * /dev/kvm), so they run with the direct backend and forced TCG (harmless where KVM works).
 */
const LIBGUESTFS_PROGRAMS = new Set([
  "virt-inspector",
  "virt-customize",
  "virt-v2v",
  "virt-v2v-in-place",
  "virt-v2v-inspector",
  "virt-make-fs",
  "virt-cat",
  "virt-ls",
  "guestfish",
  "libguestfs-test-tool",
]);

export const LIBGUESTFS_ENV = { LIBGUESTFS_BACKEND: "direct", LIBGUESTFS_BACKEND_SETTINGS: "force_tcg" } as const;

export type ToolInfo =
  | { name: ToolName; package: string; found: true; path: string; version: string | undefined }
  | { name: ToolName; package: string; found: false };

/** An environment for a program (NodeJS.ProcessEnv's typing insists on NODE_ENV). */
export type Env = Record<string, string | undefined>;

export type ToolOptions = { env?: Env | undefined };

/** The first executable `name` on PATH (from `env`, default this process's). */
export function which(name: string, env: Env = process.env): string | undefined {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function parseVersion(output: string): string | undefined {
  const firstLine = output.split("\n").find((line) => line.trim() !== "") ?? "";
  return /(\d+\.\d+(?:\.\d+)?)/.exec(firstLine)?.[1];
}

/** A context for a short probe run outside any stage: no log, no progress. */
export function quietContext(signal?: AbortSignal): StageContext {
  return {
    log: () => undefined,
    progress: () => undefined,
    signal: signal ?? new AbortController().signal,
    scratchDir: "",
  };
}

export async function findTool(name: ToolName, options: ToolOptions = {}): Promise<ToolInfo> {
  const spec = TOOLS[name];
  const path = which(name, options.env);
  if (!path) return { name, package: spec.package, found: false };
  let version: string | undefined;
  try {
    const result = await run(quietContext(AbortSignal.timeout(15_000)), path, spec.versionArgs, { env: options.env });
    version = parseVersion(result.stdout) ?? parseVersion(result.stderr);
  } catch {
    version = undefined;
  }
  return { name, package: spec.package, found: true, path, version };
}

/** Every program the pipeline uses: path and version, or missing with its Debian package. */
export async function findTools(options: ToolOptions = {}): Promise<ToolInfo[]> {
  return Promise.all(TOOL_NAMES.map((name) => findTool(name, options)));
}

/**
 * Checks that the programs a stage needs are installed; one error names every missing one
 * and its package. Returns their paths.
 */
export function preflight(needed: readonly ToolName[], options: ToolOptions = {}): Record<ToolName, string> {
  const paths = {} as Record<ToolName, string>;
  const missing: { tool: string; package: string }[] = [];
  for (const name of needed) {
    const path = which(name, options.env);
    if (path) paths[name] = path;
    else missing.push({ tool: name, package: TOOLS[name].package });
  }
  if (missing.length > 0) throw new MissingToolsError(missing);
  return paths;
}

export type RunOptions = {
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  /** Replaces this process's environment (default process.env); libguestfs settings are added. */
  env?: Env | undefined;
  cwd?: string;
};

export type RunResult = { stdout: string; stderr: string };

/** Kept output per stream: enough for JSON from `qemu-img info`, bounded for chatty tools. */
const KEEP_BYTES = 4 * 1024 * 1024;
const TAIL_LINES = 20;
/** After SIGTERM, how long the group has before SIGKILL. */
const KILL_GRACE_MS = 5_000;

/**
 * Whether process group `pgid` still has a live member. On Linux, /proc tells a zombie (exited,
 * its parent gone and not reaped yet: harmless) from a running process; elsewhere any member counts.
 */
export function groupAlive(pgid: number): boolean {
  let entries: string[] | undefined;
  try {
    entries = readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    entries = undefined;
  }
  if (!entries) {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
  for (const entry of entries) {
    const stat = procStat(entry); // undefined: gone meanwhile
    if (stat && stat.pgrp === pgid && stat.state !== "Z") return true;
  }
  return false;
}

/** Resolves once no live process is left in process group `pgid` (gives up after a minute). */
export async function groupGone(pgid: number): Promise<void> {
  for (const until = Date.now() + 60_000; Date.now() < until && groupAlive(pgid); ) await new Promise((r) => setTimeout(r, 50));
}

function keepTail(buffer: string, chunk: string): string {
  const joined = buffer + chunk;
  return joined.length > KEEP_BYTES ? joined.slice(joined.length - KEEP_BYTES) : joined;
}

export function stderrTail(stderr: string): string {
  return stderr.split(/\r?\n/).filter((line) => line.trim() !== "").slice(-TAIL_LINES).join("\n");
}

/** The command as one would type it (for messages; arguments with spaces quoted). */
export function commandLine(cmd: string, args: readonly string[]): string {
  return [cmd, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(" ");
}

export function environmentFor(cmd: string, env: Env = process.env): Env {
  return LIBGUESTFS_PROGRAMS.has(basename(cmd)) ? { ...env, ...LIBGUESTFS_ENV } : env;
}

/**
 * Runs a program in its own process group. Resolves with its output on exit status 0; rejects
 * with ToolFailedError (command, exit code, stderr tail) otherwise, and with CancelledError
 * when ctx.signal aborts: the whole group gets SIGTERM, then SIGKILL after a grace period,
 * and the promise settles only once the program has exited (its files are closed).
 */
export function run(ctx: StageContext, cmd: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const line = commandLine(cmd, args);
  if (ctx.signal.aborted) return Promise.reject(new CancelledError(line));
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: environmentFor(cmd, options.env) as NodeJS.ProcessEnv,
      cwd: options.cwd,
    });
    let stdout = "";
    let stderr = "";
    let cancelled = false;
    let exited = false;
    let killTimer: NodeJS.Timeout | undefined;

    const killGroup = (signal: NodeJS.Signals) => {
      if (exited || child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const onAbort = () => {
      cancelled = true;
      killGroup("SIGTERM");
      killTimer = setTimeout(() => killGroup("SIGKILL"), KILL_GRACE_MS);
      killTimer.unref();
    };
    ctx.signal.addEventListener("abort", onAbort, { once: true });

    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    // A throwing callback (a bug in a progress parser) must not leave the program running
    // unwatched: stop it and report that error instead.
    let callbackError: unknown;
    const deliver = (callback: ((chunk: string) => void) | undefined, chunk: string) => {
      if (!callback || callbackError !== undefined) return;
      try {
        callback(chunk);
      } catch (error) {
        callbackError = error;
        killGroup("SIGKILL");
      }
    };
    child.stdout.on("data", (chunk: string) => {
      stdout = keepTail(stdout, chunk);
      deliver(options.onStdout, chunk);
    });
    child.stderr.on("data", (chunk: string) => {
      stderr = keepTail(stderr, chunk);
      deliver(options.onStderr, chunk);
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      exited = true;
      ctx.signal.removeEventListener("abort", onAbort);
      if (error.code === "ENOENT") {
        const spec = TOOLS[basename(cmd) as ToolName] as ToolSpec | undefined;
        reject(new MissingToolsError([{ tool: basename(cmd), package: spec?.package ?? "unknown" }]));
      } else {
        reject(new ToolFailedError(line, null, null, error.message));
      }
    });
    child.on("close", (code, signal) => {
      ctx.signal.removeEventListener("abort", onAbort);
      const settle = () => {
        exited = true;
        if (killTimer) clearTimeout(killTimer);
        if (callbackError !== undefined) reject(callbackError);
        else if (cancelled) reject(new CancelledError(line));
        else if (code === 0) resolve({ stdout, stderr });
        else reject(new ToolFailedError(line, code, signal, stderrTail(stderr)));
      };
      // Stopped by us: the program may exit before what it started (an appliance's qemu, which
      // does not hold its pipes): settle once the whole group is gone (SIGKILL still follows the
      // grace period), so nothing is left writing to the files being cleaned up.
      if ((cancelled || callbackError !== undefined) && child.pid !== undefined) void groupGone(child.pid).then(settle);
      else settle();
    });
  });
}
