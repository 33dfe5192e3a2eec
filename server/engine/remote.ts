// Disks of a remote source read over ssh: one nbdkit (ssh plugin, read-only) per disk on a Unix
// socket, so qemu-img and virt-inspector read them as NBD, with progress and cancel as for
// local files. The host key is always checked: against the known_hosts the operator gave with
// the source, else the agent host's own (~/.ssh/known_hosts, /etc/ssh/ssh_known_hosts); an
// unknown or changed key is a refusal, never a prompt or a silent accept. Credentials go to
// nbdkit as files (0600, in a 0700 directory removed on close), never on a command line or in a
// log line. esx:// disks are read over https by remote-https.ts; vpx:// and gsx:// are refused.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { PlainCredentials } from "../secrets/credentials.ts";
import type { StageContext } from "./context.ts";
import { MissingToolsError } from "./errors.ts";
import { openHttpsDisks } from "./remote-https.ts";
import { preflight, run, which, type Env } from "./tools.ts";

export const REMOTE_STAGE = "source";

export type RemoteEndpoint = { user: string | undefined; host: string; port: number | undefined };

export type RemoteSource = {
  /** ssh://user@host[:port] or the -ic URI xen+ssh://user@host[:port]/. */
  uri: string;
  /** known_hosts lines for the host; absent = the agent host's own files. */
  knownHosts?: string | undefined;
  /** esx:// only: PEM CA certificate(s) the ESX host's certificate must chain to; absent = the system CAs. */
  caCert?: string | undefined;
  credentials?: PlainCredentials | undefined;
};

export type RemoteErrorCode = "UNSUPPORTED" | "BAD_URI" | "HOST_KEY_UNKNOWN" | "HOST_KEY_CHANGED" | "AUTH_FAILED" | "NOT_FOUND" | "CERTIFICATE" | "CONNECT";

export class RemoteSourceError extends Error {
  readonly code: RemoteErrorCode;
  constructor(code: RemoteErrorCode, message: string) {
    super(message);
    this.name = "RemoteSourceError";
    this.code = code;
  }
}

const UNSUPPORTED_SCHEMES = new Set(["gsx", "vpx"]);

function schemeOf(uri: string): string | undefined {
  return /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1]?.toLowerCase();
}

/** Remote schemes whose disks Ferry cannot read yet (vpx://, gsx://), with what to do instead. */
export function unsupportedRemote(uri: string): RemoteSourceError | undefined {
  const scheme = schemeOf(uri);
  if (!scheme || !UNSUPPORTED_SCHEMES.has(scheme)) return undefined;
  return new RemoteSourceError(
    "UNSUPPORTED",
    `${scheme}:// sources are not supported yet: Ferry reads remote disks over ssh (ssh://, xen+ssh://) or from an ESX host over https (esx://). ` +
      "Copy the guest's disks to the agent host (or a host reachable over ssh) and convert it with -i libvirtxml.",
  );
}

/**
 * `-i libvirt -ic esx://|vpx://|gsx://`: virsh's ESX driver talks to a real vSphere API, which
 * Ferry does not drive. The disks of an ESX guest are read with -i libvirtxml and remote esx://.
 */
export function unsupportedLibvirtInput(uri: string): RemoteSourceError | undefined {
  const scheme = schemeOf(uri);
  if (scheme !== "esx" && scheme !== "gsx" && scheme !== "vpx") return undefined;
  return new RemoteSourceError(
    "UNSUPPORTED",
    `-i libvirt -ic ${scheme}:// is not supported: Ferry does not read the guest's XML through virsh's ESX driver. ` +
      "Give the guest's domain XML with -i libvirtxml" + (scheme === "esx" ? " and the source's remote esx://user@host/, so its disks are read over https." : "."),
  );
}

/** esx:// remotes are read over https (remote-https.ts), every other one over ssh. */
export function isHttpsRemote(uri: string): boolean {
  return schemeOf(uri) === "esx";
}

/** `ssh://user@host:port[/]` or `xen+ssh://user@host[:port]/` -> where to connect. */
export function parseRemoteUri(uri: string): RemoteEndpoint {
  const unsupported = unsupportedRemote(uri);
  if (unsupported) throw unsupported;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new RemoteSourceError("BAD_URI", `Not a remote source URI: ${uri} (it should look like ssh://root@host:22 or xen+ssh://root@host/)`);
  }
  if (url.protocol !== "ssh:" && !url.protocol.endsWith("+ssh:")) {
    if (url.protocol === "esx:") throw new RemoteSourceError("BAD_URI", `${uri} is read over https, not ssh (openRemoteDisks dispatches it)`);
    throw new RemoteSourceError("BAD_URI", `${url.protocol}// is not a remote source Ferry reads disks from: use ssh://user@host[:port] or xen+ssh://user@host/`);
  }
  if (url.password) throw new RemoteSourceError("BAD_URI", "Put the ssh password in the conversion's credentials, not in the URI (URIs are shown and logged).");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!host) throw new RemoteSourceError("BAD_URI", `${uri} names no host`);
  return { user: url.username ? decodeURIComponent(url.username) : undefined, host, port: url.port ? Number(url.port) : undefined };
}

export function describeEndpoint(e: RemoteEndpoint): string {
  return `${e.user ? `${e.user}@` : ""}${e.host}${e.port ? `:${e.port}` : ""}`;
}

/** nbdkit's words -> what the operator must do. Its stderr holds no secret (they are passed as files). */
export function classifySshFailure(stderr: string, endpoint: RemoteEndpoint, remotePath: string): RemoteSourceError {
  const where = describeEndpoint(endpoint);
  const hostPort = `${endpoint.host}${endpoint.port ? ` port ${endpoint.port}` : ""}`;
  if (/host key for server changed|server's host key changed/i.test(stderr)) {
    return new RemoteSourceError("HOST_KEY_CHANGED", `The ssh host key of ${hostPort} does not match its known_hosts entry: refusing to connect (the host was reinstalled, or someone is impersonating it). Check its fingerprint and update the known_hosts given with the source.`);
  }
  if (/host key is unknown|known_hosts|host is unknown/i.test(stderr)) {
    return new RemoteSourceError("HOST_KEY_UNKNOWN", `The ssh host key of ${hostPort} is not in the known_hosts given with the source: refusing to connect to a host that cannot be verified. Add its key (ssh-keyscan -p ${endpoint.port ?? 22} ${endpoint.host}, checked against the host's fingerprint).`);
  }
  if (/authentication (methods )?failed|access denied|permission denied \(publickey|auth/i.test(stderr)) {
    return new RemoteSourceError("AUTH_FAILED", `ssh authentication to ${where} failed: the host refused the private key or password in the conversion's credentials.`);
  }
  if (/no such file/i.test(stderr)) {
    return new RemoteSourceError("NOT_FOUND", `The source disk ${remotePath} does not exist on ${hostPort} (sftp: No such file).`);
  }
  const detail = stderr.split("\n").map((l) => l.replace(/^nbdkit: ssh\[\d+\]: error: /, "").trim()).filter(Boolean).slice(-3).join("; ");
  return new RemoteSourceError("CONNECT", `Cannot read ${remotePath} from ${where} over ssh: ${detail || "nbdkit gave no reason"}`);
}

export type RemoteDisk = { remotePath: string; socket: string; qemuUri: string; guestfsUri: string };

export type RemoteDisks = {
  endpoint: RemoteEndpoint;
  disks: RemoteDisk[];
  /** The NBD URI qemu-img reads a remote path through. */
  qemuUri(remotePath: string): string;
  /** The same disk as libvirt/libguestfs's `-a` takes it. */
  guestfsUri(remotePath: string): string;
  /** Stops every nbdkit and removes the credential files; safe to call twice. */
  close(): Promise<void>;
};

export type Server = { child: ChildProcess; stderr: () => string; exited: Promise<void> };

export function startServer(nbdkit: string, args: string[], env: Env | undefined): Server {
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

export async function waitReady(server: Server, pidfile: string, signal: AbortSignal): Promise<void> {
  // nbdkit writes its pidfile once the socket accepts connections.
  for (let i = 0; i < 600; i++) {
    if (existsSync(pidfile)) return;
    if (server.child.exitCode !== null || server.child.signalCode !== null) throw new Error(`nbdkit exited: ${server.stderr().trim()}`);
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error("cancelled");
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("nbdkit did not open its socket within 30 s");
}

export async function stop(server: Server): Promise<void> {
  if (server.child.exitCode === null && server.child.signalCode === null && server.child.pid !== undefined) {
    try {
      process.kill(-server.child.pid, "SIGTERM");
    } catch {
      // gone already
    }
  }
  await server.exited;
}

/**
 * Serves each remote path as NBD and checks it can be read (host key, credentials, file), so
 * the refusal comes with its reason before any stage starts. The caller must `close()`.
 */
export async function openRemoteDisks(ctx: StageContext, source: RemoteSource, paths: readonly string[], options: { env?: Env | undefined } = {}): Promise<RemoteDisks> {
  if (isHttpsRemote(source.uri)) return openHttpsDisks(ctx, source, paths, options);
  const endpoint = parseRemoteUri(source.uri);
  const nbdkit = which("nbdkit", options.env);
  if (!nbdkit) throw new MissingToolsError([{ tool: "nbdkit", package: "nbdkit" }]);
  const qemuImg = preflight(["qemu-img"], { env: options.env })["qemu-img"];

  // Short and private: Unix socket paths are limited to 107 bytes, and the key files live here.
  const dir = await mkdtemp(path.join(os.tmpdir(), "ferry-ssh-"));
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
    const common = [`host=${endpoint.host}`, ...(endpoint.port ? [`port=${endpoint.port}`] : []), ...(endpoint.user ? [`user=${endpoint.user}`] : []), "config=", "timeout=30"];
    if (source.knownHosts !== undefined) {
      await writeFile(path.join(dir, "known_hosts"), source.knownHosts.endsWith("\n") ? source.knownHosts : `${source.knownHosts}\n`, { mode: 0o600 });
      common.push(`known-hosts=${path.join(dir, "known_hosts")}`);
    }
    const key = source.credentials?.privateKey?.reveal();
    if (key !== undefined) {
      await writeFile(path.join(dir, "identity"), key.endsWith("\n") ? key : `${key}\n`, { mode: 0o600 });
      common.push(`identity=${path.join(dir, "identity")}`);
    }
    const password = source.credentials?.password?.reveal();
    if (password !== undefined) {
      await writeFile(path.join(dir, "password"), password, { mode: 0o600 });
      common.push(`password=+${path.join(dir, "password")}`);
    }
    const auth = key !== undefined ? "a private key" : password !== undefined ? "a password" : "the agent host's ssh keys";
    const hostKeys = source.knownHosts !== undefined ? "the known_hosts given with the source" : "the agent host's known_hosts";
    ctx.log("info", `Reading the source disks over ssh from ${describeEndpoint(endpoint)} (nbdkit ssh plugin, read-only; authenticating with ${auth}; host key checked against ${hostKeys})`, REMOTE_STAGE);

    for (const [i, remotePath] of paths.entries()) {
      const socket = path.join(dir, `disk${i}.sock`);
      const pidfile = path.join(dir, `disk${i}.pid`);
      const args = ["--foreground", "--exit-with-parent", "--readonly", "--unix", socket, "--pidfile", pidfile, "ssh", ...common, `path=${remotePath}`];
      const server = startServer(nbdkit, args, options.env);
      servers.push(server);
      try {
        await waitReady(server, pidfile, ctx.signal);
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        throw classifySshFailure(server.stderr(), endpoint, remotePath);
      }
      const disk = { remotePath, socket, qemuUri: `nbd+unix:///?socket=${socket}`, guestfsUri: `nbd://?socket=${socket}` };
      // The ssh session opens on the first NBD connection: this read is where a host key or a
      // credential is refused. nbdkit says why on its stderr; qemu-img only sees a closed socket.
      try {
        await run(ctx, qemuImg, ["info", "--output=json", "-f", "raw", disk.qemuUri], { env: options.env });
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        throw classifySshFailure(server.stderr(), endpoint, remotePath);
      }
      disks.push(disk);
    }
    // The files are read; only the identity is read again per connection, so it stays until close.
    if (password !== undefined) await rm(path.join(dir, "password"), { force: true });
  } catch (error) {
    await close();
    throw error;
  }

  const find = (remotePath: string) => {
    const disk = disks.find((d) => d.remotePath === remotePath);
    if (!disk) throw new Error(`${remotePath} is not one of the remote disks opened (${disks.map((d) => d.remotePath).join(", ")})`);
    return disk;
  };
  return { endpoint, disks, qemuUri: (p) => find(p).qemuUri, guestfsUri: (p) => find(p).guestfsUri, close };
}
