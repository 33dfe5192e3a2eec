// Disks of a remote source read over ssh: one nbdkit (ssh plugin, read-only) per disk on a Unix
// socket (nbdkit-disks.ts), so qemu-img and virt-inspector read them as NBD, with progress and cancel as for
// local files. The host key is always checked: against the known_hosts the operator gave with
// the source, else the agent host's own (~/.ssh/known_hosts, /etc/ssh/ssh_known_hosts); an
// unknown or changed key is a refusal, never a prompt or a silent accept. Credentials go to
// nbdkit as files (0600, in a 0700 directory removed on close), never on a command line or in a
// log line. esx:// disks are read over https by remote-https.ts; vpx:// and gsx:// are refused.
import { rm } from "node:fs/promises";
import path from "node:path";
import type { PlainCredentials } from "../secrets/credentials.ts";
import type { StageContext } from "./context.ts";
import { openNbdkitDisks, writePrivateFile, type NbdkitDisks, type NbdkitPlugin } from "./nbdkit-disks.ts";
import { openHttpsDisks } from "./remote-https.ts";
import type { Env } from "./tools.ts";

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

export type { RemoteDisk } from "./nbdkit-disks.ts";

export type RemoteDisks = NbdkitDisks & { endpoint: RemoteEndpoint };

/** nbdkit's ssh plugin: host key files, credentials as 0600 files, one `path=` per disk. */
function sshPlugin(ctx: StageContext, source: RemoteSource, endpoint: RemoteEndpoint): NbdkitPlugin {
  const key = source.credentials?.privateKey?.reveal();
  const password = source.credentials?.password?.reveal();
  return {
    name: "ssh",
    tmpPrefix: "ferry-ssh-",
    prepare: async (dir) => {
      const common = [`host=${endpoint.host}`, ...(endpoint.port ? [`port=${endpoint.port}`] : []), ...(endpoint.user ? [`user=${endpoint.user}`] : []), "config=", "timeout=30"];
      if (source.knownHosts !== undefined) {
        await writePrivateFile(path.join(dir, "known_hosts"), source.knownHosts, { newline: true });
        common.push(`known-hosts=${path.join(dir, "known_hosts")}`);
      }
      if (key !== undefined) {
        await writePrivateFile(path.join(dir, "identity"), key, { newline: true });
        common.push(`identity=${path.join(dir, "identity")}`);
      }
      if (password !== undefined) {
        await writePrivateFile(path.join(dir, "password"), password, { newline: false });
        common.push(`password=+${path.join(dir, "password")}`);
      }
      const auth = key !== undefined ? "a private key" : password !== undefined ? "a password" : "the agent host's ssh keys";
      const hostKeys = source.knownHosts !== undefined ? "the known_hosts given with the source" : "the agent host's known_hosts";
      ctx.log("info", `Reading the source disks over ssh from ${describeEndpoint(endpoint)} (nbdkit ssh plugin, read-only; authenticating with ${auth}; host key checked against ${hostKeys})`, REMOTE_STAGE);
      return common;
    },
    diskParam: (remotePath) => `path=${remotePath}`,
    classify: (stderr, remotePath) => classifySshFailure(stderr, endpoint, remotePath),
    // The files are read; only the identity is read again per connection, so it stays until close.
    opened: async (dir) => {
      if (password !== undefined) await rm(path.join(dir, "password"), { force: true });
    },
  };
}

/**
 * Serves each remote path as NBD and checks it can be read (host key, credentials, file), so
 * the refusal comes with its reason before any stage starts. The caller must `close()`.
 */
export async function openRemoteDisks(ctx: StageContext, source: RemoteSource, paths: readonly string[], options: { env?: Env | undefined } = {}): Promise<RemoteDisks> {
  if (isHttpsRemote(source.uri)) return openHttpsDisks(ctx, source, paths, options);
  const endpoint = parseRemoteUri(source.uri);
  return { endpoint, ...(await openNbdkitDisks(ctx, sshPlugin(ctx, source, endpoint), paths, options)) };
}
