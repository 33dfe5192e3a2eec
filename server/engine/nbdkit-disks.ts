// Remote disks served as NBD: one nbdkit (read-only) per disk on a Unix socket in a private
// temporary directory, each read once with qemu-img before any stage starts, so a refusal
// (host key, credentials, certificate, missing file) comes first and with nbdkit's reason.
// The plugin (ssh in remote.ts, curl in remote-https.ts) says what goes in the directory and
// on nbdkit's command line.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { StageContext } from "./context.ts";
import { preflight, quietContext, run, which, type Env } from "./tools.ts";

export type RemoteDisk = { remotePath: string; socket: string; qemuUri: string; guestfsUri: string };

export type NbdkitDisks = {
  disks: RemoteDisk[];
  /** The NBD URI qemu-img reads a remote path through. */
  qemuUri(remotePath: string): string;
  /** The same disk as libvirt/libguestfs's `-a` takes it. */
  guestfsUri(remotePath: string): string;
  /** Stops every nbdkit and removes the directory (credential files with it); safe to call twice. */
  close(): Promise<void>;
};

export type NbdkitPlugin = {
  /** nbdkit's plugin name (ssh, curl). */
  name: string;
  /** mkdtemp prefix: short, since Unix socket paths are limited to 107 bytes. */
  tmpPrefix: string;
  /** Writes the plugin's files into the private directory and returns the parameters every disk shares. */
  prepare(dir: string): Promise<string[]>;
  /** The parameter naming one disk (path=..., url=...). */
  diskParam(remotePath: string, index: number): string;
  /** nbdkit's stderr -> the refusal to show (its stderr holds no secret: those are files). */
  classify(stderr: string, remotePath: string): Error;
  /** After every disk was read once: e.g. remove a file nbdkit does not read again. */
  opened?(dir: string): Promise<void>;
};

/** The plugins remote sources are read with: ssh (ssh://, xen+ssh://) and curl (esx://). Debian ships both in nbdkit. */
export const REMOTE_PLUGINS = ["ssh", "curl"] as const;
export type RemotePlugin = (typeof REMOTE_PLUGINS)[number];
export const NBDKIT_PLUGIN_PACKAGE = "nbdkit";

/** Which remote plugins this host's nbdkit can load (`nbdkit --dump-plugin NAME` exits 0); none without nbdkit. */
export async function findRemotePlugins(options: { env?: Env | undefined } = {}): Promise<RemotePlugin[]> {
  const nbdkit = which("nbdkit", options.env);
  if (!nbdkit) return [];
  const loads = async (plugin: RemotePlugin) => {
    try {
      await run(quietContext(AbortSignal.timeout(15_000)), nbdkit, ["--dump-plugin", plugin], { env: options.env });
      return true;
    } catch {
      return false;
    }
  };
  const found = await Promise.all(REMOTE_PLUGINS.map(loads));
  return REMOTE_PLUGINS.filter((_, i) => found[i]);
}

/** Writes a credential or trust file readable by this user only. */
export async function writePrivateFile(file: string, text: string, options: { newline: boolean }): Promise<void> {
  await writeFile(file, options.newline && !text.endsWith("\n") ? `${text}\n` : text, { mode: 0o600 });
}

type Server = { child: ChildProcess; stderr: () => string; exited: Promise<void> };

function startServer(nbdkit: string, args: string[], env: Env | undefined): Server {
  const child = spawn(nbdkit, args, { detached: true, stdio: ["ignore", "ignore", "pipe"], env: (env ?? process.env) as NodeJS.ProcessEnv });
  let err = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (c: string) => (err = (err + c).slice(-16_384)));
  const exited = new Promise<void>((resolve) => {
    child.on("close", () => resolve());
    child.on("error", () => resolve());
  });
  return { child, stderr: () => err, exited };
}

async function waitReady(server: Server, pidfile: string, signal: AbortSignal): Promise<void> {
  // nbdkit writes its pidfile once the socket accepts connections.
  for (let i = 0; i < 600; i++) {
    if (existsSync(pidfile)) return;
    if (server.child.exitCode !== null || server.child.signalCode !== null) throw new Error(`nbdkit exited: ${server.stderr().trim()}`);
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error("cancelled");
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("nbdkit did not open its socket within 30 s");
}

async function stop(server: Server): Promise<void> {
  if (server.child.exitCode === null && server.child.signalCode === null && server.child.pid !== undefined) {
    try {
      process.kill(-server.child.pid, "SIGTERM");
    } catch {
      // gone already
    }
  }
  await server.exited;
}

/** Serves each remote path through the plugin and reads it once. The caller must `close()`. */
export async function openNbdkitDisks(ctx: StageContext, plugin: NbdkitPlugin, paths: readonly string[], options: { env?: Env | undefined } = {}): Promise<NbdkitDisks> {
  const tools = preflight(["nbdkit", "qemu-img"], { env: options.env });
  const dir = await mkdtemp(path.join(os.tmpdir(), plugin.tmpPrefix));
  const servers: Server[] = [];
  const disks: RemoteDisk[] = [];
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await Promise.all(servers.map(stop));
    await rm(dir, { recursive: true, force: true });
  };

  try {
    const common = await plugin.prepare(dir);
    for (const [i, remotePath] of paths.entries()) {
      const socket = path.join(dir, `disk${i}.sock`);
      const pidfile = path.join(dir, `disk${i}.pid`);
      const args = ["--foreground", "--exit-with-parent", "--readonly", "--unix", socket, "--pidfile", pidfile, plugin.name, ...common, plugin.diskParam(remotePath, i)];
      const server = startServer(tools.nbdkit, args, options.env);
      servers.push(server);
      try {
        await waitReady(server, pidfile, ctx.signal);
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        throw plugin.classify(server.stderr(), remotePath);
      }
      const disk = { remotePath, socket, qemuUri: `nbd+unix:///?socket=${socket}`, guestfsUri: `nbd://?socket=${socket}` };
      // The plugin connects on the first NBD connection (ssh session, curl's first request): this
      // read is where a host key, credential or certificate is refused. nbdkit says why on its
      // stderr; qemu-img only sees a closed socket.
      try {
        await run(ctx, tools["qemu-img"], ["info", "--output=json", "-f", "raw", disk.qemuUri], { env: options.env });
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        throw plugin.classify(server.stderr(), remotePath);
      }
      disks.push(disk);
    }
    await plugin.opened?.(dir);
  } catch (error) {
    await close();
    throw error;
  }

  const find = (remotePath: string) => {
    const disk = disks.find((d) => d.remotePath === remotePath);
    if (!disk) throw new Error(`${remotePath} is not one of the remote disks opened (${disks.map((d) => d.remotePath).join(", ")})`);
    return disk;
  };
  return { disks, qemuUri: (p) => find(p).qemuUri, guestfsUri: (p) => find(p).guestfsUri, close };
}
