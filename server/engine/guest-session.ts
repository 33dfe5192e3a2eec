// One libguestfs appliance for inspecting the source and installing its software, before the
// copy. Each appliance start costs 15-20 s here (and its inspection as much again), so instead of
// virt-inspector and then virt-customize (two starts, two inspections), one `guestfish --listen`
// serves both: the plan is made in Node between its commands.
//
// The source stays read-only: the appliance writes to a qcow2 overlay on each source disk (in
// the scratch directory), and the copy stage then reads the overlays, so the target gets the
// source plus what was installed. The transfer ISO, when there is one, is attached as the last
// drive, read-only, as virt-v2v attached it to its appliance (reference §1.6).
import { spawn } from "node:child_process";
import { openSync, closeSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import type { StageContext } from "./context.ts";
import { CancelledError, ToolFailedError } from "./errors.ts";
import type { Mountpoint } from "./quick-inspect.ts";
import { environmentFor, groupAlive, groupGone, preflight, run, stderrTail, type Env } from "./tools.ts";

export type SessionDisk = {
  /** A path on this host, or a qemu URI (nbd+unix://...) for a remote source's disk. */
  path: string;
  format: string;
};

export type SessionOptions = {
  /** The transfer ISO, attached read-only as the last drive. */
  iso?: string | undefined;
  env?: Env | undefined;
};

/** qemu-img's `-b` wants an absolute path (a relative one is taken from the overlay's folder). */
function backing(p: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(p) ? p : path.resolve(p);
}

export class GuestSession {
  /** The overlays, in disk order: what the copy stage reads once the session is closed. */
  readonly overlays: { path: string; format: "qcow2" }[];
  /** Whether the guest was mounted read-write, so the overlays may hold changes (software installed). */
  changed = false;
  /** The guest's root, once inspection (findRoot) found it. */
  root: string | undefined;
  /** The root's mountpoints when Ferry's own reading found them (quick-inspect.ts); otherwise libguestfs's inspection holds them. */
  mountpoints: Mountpoint[] | undefined;
  private closed = false;

  private constructor(
    private readonly ctx: StageContext,
    private readonly guestfish: string,
    /** The listening guestfish (its own pid is what --remote= names). */
    private readonly pid: number,
    /** The process group it and its appliance run in. */
    private readonly pgid: number,
    private readonly dir: string,
    private readonly stderrFile: string,
    private readonly env: Env | undefined,
    overlays: string[],
    /** Whether the transfer ISO is attached. */
    readonly hasIso: boolean,
  ) {
    this.overlays = overlays.map((p) => ({ path: p, format: "qcow2" }));
  }

  /** Creates the overlays and starts a listening guestfish with them (the appliance is not launched yet: `launch()`). */
  static async open(ctx: StageContext, disks: readonly SessionDisk[], options: SessionOptions = {}): Promise<GuestSession> {
    const env = options.env;
    const { "qemu-img": qemuImg, guestfish } = preflight(["qemu-img", "guestfish"], { env });
    const dir = await mkdtemp(path.join(ctx.scratchDir, "appliance-"));
    try {
      const overlays: string[] = [];
      for (const [i, d] of disks.entries()) {
        const overlay = path.join(dir, `disk-${i}.qcow2`);
        await run(ctx, qemuImg, ["create", "-q", "-f", "qcow2", "-F", d.format, "-b", backing(d.path), overlay], { env });
        overlays.push(overlay);
      }
      const stderrFile = path.join(dir, "guestfish.stderr");
      const { pid, pgid } = await listen(ctx, guestfish, stderrFile, env);
      const session = new GuestSession(ctx, guestfish, pid, pgid, dir, stderrFile, env, overlays, options.iso !== undefined);
      try {
        for (const o of overlays) await session.call(["add-drive-opts", o, "format:qcow2"]);
        if (options.iso) await session.call(["add-drive-opts", options.iso, "format:raw", "readonly:true"]);
      } catch (error) {
        await session.dispose();
        throw error;
      }
      return session;
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Starts the appliance (the 15-20 s part). */
  async launch(): Promise<void> {
    await this.call(["run"]);
  }

  /**
   * One guestfish command in the appliance; its standard output. A failing command ends the
   * listening guestfish (that is how --remote works), so the error carries its stderr.
   */
  async call(args: readonly string[]): Promise<string> {
    if (this.closed) throw new Error("The appliance was already shut down.");
    try {
      const { stdout } = await run(this.ctx, this.guestfish, [`--remote=${this.pid}`, "--", ...args], { env: this.env });
      return stdout;
    } catch (error) {
      if (error instanceof CancelledError) {
        await this.dispose();
        throw error;
      }
      if (!(error instanceof ToolFailedError)) throw error;
      await groupGone(this.pgid);
      this.closed = true;
      const tail = stderrTail(this.serverStderr());
      throw new ToolFailedError(`guestfish ${args.join(" ")}`, error.exitCode, error.signal, tail || error.stderrTail);
    }
  }

  /** A command's output as its non-empty lines, trimmed (lists of devices, roots, names). */
  async lines(args: readonly string[]): Promise<string[]> {
    return (await this.call(args)).split("\n").map((l) => l.trim()).filter((l) => l !== "");
  }

  /** A test command's answer (is-file, is-dir, ...: guestfish prints true or false). */
  async yes(args: readonly string[]): Promise<boolean> {
    return (await this.call(args)).trim() === "true";
  }

  private serverStderr(): string {
    try {
      return readFileSync(this.stderrFile, "utf8");
    } catch {
      return "";
    }
  }

  /** Shuts the appliance down cleanly (its writes reach the overlays) and waits until it is gone. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await run(this.ctx, this.guestfish, [`--remote=${this.pid}`, "--", "exit"], { env: this.env }).catch(() => undefined);
    await groupGone(this.pgid);
  }

  /** Stops the appliance if it still runs and removes the overlays. */
  async dispose(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      kill(this.pgid, "SIGTERM");
      const hard = setTimeout(() => kill(this.pgid, "SIGKILL"), 5_000);
      hard.unref();
      await groupGone(this.pgid);
      clearTimeout(hard);
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}

function kill(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // gone
  }
}

/**
 * A listening guestfish waits for commands for ever: if this process dies (an agent killed with
 * -9), a small shell outside the group stops the appliance's group once this process is gone.
 * It ends by itself, within 2 s, once the listening guestfish has.
 */
function watch(pgid: number, listener: number): void {
  // A zombie (exited, not reaped yet) counts as gone.
  const alive = (pid: number) => `{ [ -r /proc/${pid}/stat ] && ! grep -q ') Z ' /proc/${pid}/stat; }`;
  const script = `while ${alive(process.pid)} && ${alive(listener)}; do sleep 2; done; ${alive(listener)} && kill -KILL -${pgid}`;
  const watcher = spawn("/bin/sh", ["-c", script], { detached: true, stdio: "ignore" });
  watcher.on("error", () => undefined);
  watcher.unref();
}

/**
 * `guestfish --listen` forks: the parent prints `GUESTFISH_PID=N; export GUESTFISH_PID` and
 * exits, the child serves. The child keeps the stderr it was given, so that is a file (a pipe
 * would never close); both stay in the process group started here, which a cancel kills.
 */
async function listen(ctx: StageContext, guestfish: string, stderrFile: string, env: Env | undefined): Promise<{ pid: number; pgid: number }> {
  if (ctx.signal.aborted) throw new CancelledError("guestfish --listen");
  const err = openSync(stderrFile, "w");
  try {
    const child = spawn(guestfish, ["--listen"], { detached: true, stdio: ["ignore", "pipe", err], env: environmentFor(guestfish, env) as NodeJS.ProcessEnv });
    let stdout = "";
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (c: string) => void (stdout += c));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (c) => resolve(c));
    });
    const pid = Number(/GUESTFISH_PID=(\d+)/.exec(stdout)?.[1] ?? "0");
    if (code !== 0 || pid <= 0 || child.pid === undefined) {
      if (child.pid !== undefined) kill(child.pid, "SIGKILL");
      throw new ToolFailedError("guestfish --listen", code, null, stderrTail(readFileSync(stderrFile, "utf8")) || stdout.trim());
    }
    if (!groupAlive(child.pid)) throw new ToolFailedError("guestfish --listen", code, null, "the listening guestfish exited at once");
    watch(child.pid, pid);
    return { pid, pgid: child.pid };
  } finally {
    closeSync(err);
  }
}
