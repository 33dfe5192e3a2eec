// Disks of an ESX host read over https, the way virt-v2v 0.9.x did (Transfer/ESX.pm): each
// datastore path the domain XML gives (`[datastore1] Fedora11/Fedora11.vmdk`) is the flat
// extent of a monolithic vmdk, served by the host at
// https://HOST[:PORT]/folder/Fedora11/Fedora11-flat.vmdk?dcPath=ha-datacenter&dsName=datastore1.
// One nbdkit (curl plugin, read-only) per disk on a Unix socket (nbdkit-disks.ts), as for ssh, so copy
// and inspect read NBD either way. The certificate is verified against the CA the operator gave
// with the source, else the system CAs; `?no_verify=1` turns that off only when written, with a
// warning. The password reaches nbdkit as a 0600 file, never a command line or a log line.
import path from "node:path";
import type { StageContext } from "./context.ts";
import { openNbdkitDisks, writePrivateFile, type NbdkitPlugin } from "./nbdkit-disks.ts";
import { REMOTE_STAGE, RemoteSourceError, type RemoteDisks, type RemoteSource } from "./remote.ts";
import type { Env } from "./tools.ts";

export type EsxEndpoint = { user: string | undefined; host: string; port: number | undefined; noVerify: boolean };

/** `esx://[user@]host[:port]/[?no_verify=1]` -> where to connect. */
export function parseEsxUri(uri: string): EsxEndpoint {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new RemoteSourceError("BAD_URI", `Not an ESX URI: ${uri} (it should look like esx://root@esx.example/ or esx://esx.example/?no_verify=1)`);
  }
  if (url.protocol !== "esx:") throw new RemoteSourceError("BAD_URI", `${url.protocol}// is not an ESX URI: use esx://user@host[:port]/`);
  if (url.password) throw new RemoteSourceError("BAD_URI", "Put the ESX password in the conversion's credentials, not in the URI (URIs are shown and logged).");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!host) throw new RemoteSourceError("BAD_URI", `${uri} names no host`);
  const noVerify = url.searchParams.get("no_verify");
  if (noVerify !== null && noVerify !== "0" && noVerify !== "1") throw new RemoteSourceError("BAD_URI", `${uri}: no_verify must be 0 or 1`);
  return { user: url.username ? decodeURIComponent(url.username) : undefined, host, port: url.port ? Number(url.port) : undefined, noVerify: noVerify === "1" };
}

function hostPort(e: EsxEndpoint): string {
  const host = e.host.includes(":") ? `[${e.host}]` : e.host;
  return `${host}${e.port ? `:${e.port}` : ""}`;
}

const DATASTORE_PATH = /^\[([^\]]+)\]\s*(\S.*)$/;

/**
 * `[datastore] dir/name.vmdk` -> the https URL of its flat extent on the ESX host. The path
 * must be a relative .vmdk path inside the datastore (no `..`, no leading `/`).
 */
export function esxDiskUrl(endpoint: Pick<EsxEndpoint, "host" | "port">, datastorePath: string): string {
  const match = DATASTORE_PATH.exec(datastorePath.trim());
  const bad = (why: string) => new RemoteSourceError("BAD_URI", `${datastorePath} is not an ESX datastore path (${why}): it should look like [datastore1] guest/guest.vmdk`);
  if (!match) throw bad("no [datastore] prefix");
  const datastore = match[1]!.trim();
  const file = match[2]!.trim();
  if (!datastore) throw bad("the datastore name is empty");
  if (!/\.vmdk$/i.test(file)) throw bad("not a .vmdk file");
  if (file.startsWith("/")) throw bad("the path must be relative to the datastore");
  const segments = file.split("/");
  if (segments.some((s) => s === "" || s === "." || s === "..")) throw bad("empty, . or .. path segment");
  // The descriptor names the extent; a monolithic-flat vmdk's extent is NAME-flat.vmdk (ESX.pm).
  segments[segments.length - 1] = segments.at(-1)!.replace(/\.vmdk$/i, "-flat.vmdk");
  const query = new URLSearchParams({ dcPath: "ha-datacenter", dsName: datastore }).toString().replace(/\+/g, "%20");
  return `https://${hostPort({ ...endpoint, noVerify: false, user: undefined })}/folder/${segments.map(encodeURIComponent).join("/")}?${query}`;
}

/** nbdkit curl's words -> what the operator must do. Its stderr holds no secret (the password is a file). */
export function classifyHttpsFailure(stderr: string, endpoint: EsxEndpoint, datastorePath: string): RemoteSourceError {
  const where = hostPort(endpoint);
  if (/\b401\b|unauthori[sz]ed/i.test(stderr)) {
    return new RemoteSourceError("AUTH_FAILED", `ESX refused the user name or password for ${where}`);
  }
  if (/\b404\b|not found/i.test(stderr)) {
    return new RemoteSourceError("NOT_FOUND", `The source disk ${datastorePath} does not exist on ${where} (https: 404 Not Found for its -flat.vmdk extent).`);
  }
  if (/SSL|certificate|TLS/i.test(stderr)) {
    return new RemoteSourceError(
      "CERTIFICATE",
      `The https certificate of ${where} could not be verified against ${endpoint.noVerify ? "anything" : "the CA given with the source or the system CAs"}: refusing to read its disks. Give the host's CA certificate with the source, or add ?no_verify=1 to the URI to skip the check.`,
    );
  }
  const detail = stderr.split("\n").map((l) => l.replace(/^nbdkit: curl\[\d+\]: error: /, "").trim()).filter(Boolean).slice(-3).join("; ");
  return new RemoteSourceError("CONNECT", `Cannot read ${datastorePath} from ${where} over https: ${detail || "nbdkit gave no reason"}`);
}

/** nbdkit's curl plugin: https only, the CA and password as 0600 files, one `url=` per disk. */
function curlPlugin(ctx: StageContext, source: RemoteSource, endpoint: EsxEndpoint, urls: Map<string, string>): NbdkitPlugin {
  return {
    name: "curl",
    tmpPrefix: "ferry-esx-",
    prepare: async (dir) => {
      // protocols=https: a redirect never downgrades to http (the password would travel in clear).
      const common = ["protocols=https", "timeout=60", ...(endpoint.user ? [`user=${endpoint.user}`] : [])];
      if (endpoint.noVerify) {
        common.push("sslverify=false");
        ctx.log("warn", `Not verifying the https certificate of ${hostPort(endpoint)} (no_verify=1 in the source URI): anyone between the agent and the host could read or alter the disks.`, REMOTE_STAGE);
      } else if (source.caCert !== undefined) {
        await writePrivateFile(path.join(dir, "ca.pem"), source.caCert, { newline: true });
        common.push(`cainfo=${path.join(dir, "ca.pem")}`);
      }
      const password = source.credentials?.password?.reveal();
      if (password !== undefined) {
        await writePrivateFile(path.join(dir, "password"), password, { newline: false });
        common.push(`password=+${path.join(dir, "password")}`);
      }
      const tls = endpoint.noVerify ? "certificate not verified" : source.caCert !== undefined ? "certificate checked against the CA given with the source" : "certificate checked against the system CAs";
      ctx.log("info", `Reading the source disks over https from ESX ${endpoint.user ? `${endpoint.user}@` : ""}${hostPort(endpoint)} (nbdkit curl plugin, read-only; ${password !== undefined ? "with a password" : "without a password"}; ${tls})`, REMOTE_STAGE);
      return common;
    },
    diskParam: (datastorePath) => `url=${urls.get(datastorePath)}`,
    classify: (stderr, datastorePath) => classifyHttpsFailure(stderr, endpoint, datastorePath),
  };
}

/** Serves each datastore path as NBD and reads it once, so a refusal comes with its reason first. */
export async function openHttpsDisks(ctx: StageContext, source: RemoteSource, paths: readonly string[], options: { env?: Env | undefined } = {}): Promise<RemoteDisks> {
  const endpoint = parseEsxUri(source.uri);
  // Every path is checked before anything starts.
  const urls = new Map(paths.map((p) => [p, esxDiskUrl(endpoint, p)]));
  const opened = await openNbdkitDisks(ctx, curlPlugin(ctx, source, endpoint, urls), paths, options);
  return { endpoint: { user: endpoint.user, host: endpoint.host, port: endpoint.port }, ...opened };
}
