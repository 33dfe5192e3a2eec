// What a conversion request may say, mirroring virt-v2v's options: -i libvirtxml FILE (with
// optional disk path overrides) or -i libvirt -ic URI GUEST; -o/-oc/-os/-of/-oa/-on; -p; -n/-b
// in virt-v2v's in:out syntax; and whether it is a dry run. Field errors are keyed by the
// form's field names ("source.xml", "network.1") so each message lands under its input.
import { z } from "zod";
import type { PlainCredentials, SealedCredentials } from "../secrets/credentials.ts";
import { DomainXmlError, parseDomainXml, Secret } from "../v2v/domain-xml.ts";
import { V2vError } from "../v2v/errors.ts";
import { parseNetworkOptions } from "../v2v/network-map.ts";

export const OUTPUT_METHODS = ["libvirt", "local", "rhev"] as const;
export const OUTPUT_FORMATS = ["raw", "qcow2"] as const;
export const ALLOCATIONS = ["sparse", "preallocated"] as const;

const text = (v: unknown) => (typeof v === "string" ? v.trim() : v);
/** Blank form fields mean "not given". */
const optionalText = z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : text(v)), z.string().optional());

const URI = /^[a-z][a-z0-9+.-]*:\/\/[^\s]*$/i;

/** Where a remote source's disks are read from: over ssh, or (-i libvirtxml only) from an ESX host over https. */
const SSH_URI = /^(ssh|[a-z]+\+ssh):\/\/[^\s/]+(\/\S*)?$/i;
const ESX_URI = /^esx:\/\/[^\s/?]+\/?(\?\S*)?$/i;
const hasPassword = (v: string | undefined) => v !== undefined && /^[^:]+:\/\/[^/@]*:[^/@]*@/.test(v);
const NO_PASSWORD = "Put the ssh password in the credentials, not in the URI (URIs are shown and logged).";
const NO_ESX_PASSWORD = "Put the ESX password in the credentials, not in the URI (URIs are shown and logged).";
const remoteUri = optionalText
  .refine((v) => v === undefined || SSH_URI.test(v), "Remote disks are read over ssh: give ssh://user@host[:port] (esx:// disks are read with -i libvirtxml).")
  .refine((v) => !hasPassword(v), NO_PASSWORD);
const xmlRemoteUri = optionalText
  .refine((v) => v === undefined || SSH_URI.test(v) || ESX_URI.test(v), "Remote disks are read over ssh or from ESX over https: give ssh://user@host[:port] or esx://user@host[:port]/[?no_verify=1].")
  .refine((v) => !hasPassword(v) || /^esx:/i.test(v ?? ""), NO_PASSWORD)
  .refine((v) => !hasPassword(v) || !/^esx:/i.test(v ?? ""), NO_ESX_PASSWORD);
/** PEM CA certificate(s) an esx:// host's https certificate must chain to (absent = the agent's system CAs). */
const caCert = optionalText.refine(
  (v) => v === undefined || (v.length <= 262_144 && /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(v)),
  "Paste the CA certificate in PEM form, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE----- (at most 256 KiB).",
);
/** known_hosts lines for the remote host (checked by the agent; absent = the agent host's own known_hosts). */
const knownHosts = optionalText.refine((v) => v === undefined || v.length <= 65_536, "known_hosts text is limited to 64 KiB.");

const ZLibvirtXmlSource = z.object({
  method: z.literal("libvirtxml"),
  /** The uploaded or pasted domain XML text. */
  xml: z.string({ error: "Upload or paste the guest's domain XML (virsh dumpxml)." }).refine((v) => v.trim() !== "", "Upload or paste the guest's domain XML (virsh dumpxml)."),
  /** The uploaded file's name, used in positioned error messages. */
  fileName: optionalText,
  /** Source disk path (as the XML gives it) -> the path of that disk on the agent host. */
  disks: z.record(z.string(), z.string()).optional(),
  /** The disks are on another host, read over ssh or from ESX over https (their paths, or the overrides above, are paths there). */
  remote: z
    .object({ uri: xmlRemoteUri, knownHosts, caCert })
    .superRefine((r, ctx) => {
      if (r.uri === undefined) ctx.addIssue({ code: "custom", path: ["uri"], message: "Give the remote host as ssh://user@host[:port] or esx://user@host/." });
      else if (r.caCert !== undefined && !/^esx:/i.test(r.uri)) ctx.addIssue({ code: "custom", path: ["caCert"], message: "A CA certificate is for esx:// (https) sources; ssh hosts are checked with known_hosts." });
    })
    .optional(),
}).transform((source, ctx) => ({ ...source, guest: checkXml(source, ctx) ?? "" }));

const ZLibvirtSource = z.object({
  method: z.literal("libvirt"),
  uri: z.preprocess(text, z.string({ error: "Give the source libvirt URI (-ic), e.g. xen+ssh://root@xen.example/." }).regex(URI, "Not a libvirt URI: it should look like xen+ssh://root@host/ or qemu+ssh://root@host/system.")),
  guest: z.preprocess(text, z.string({ error: "Name the guest to convert." }).min(1, "Name the guest to convert.")),
  /** With xen+ssh://, the disks are read over ssh from the -ic host (or from `uri` here). */
  remote: z.object({ uri: remoteUri, knownHosts }).optional(),
});

const ZSource = z.discriminatedUnion("method", [ZLibvirtXmlSource, ZLibvirtSource], {
  error: (issue) => (issue.input === undefined ? "Choose the source (-i libvirtxml or -i libvirt)." : `${String((issue.input as { method?: unknown })?.method ?? "")} is not a valid input method.`),
});

const ZOutput = z.object({
  method: z.preprocess((v) => text(v) || "libvirt", z.string().refine((v) => (OUTPUT_METHODS as readonly string[]).includes(v), { error: (i) => `${String(i.input)} is not a valid output method.` })) as unknown as z.ZodType<(typeof OUTPUT_METHODS)[number]>,
  uri: optionalText.refine((v) => v === undefined || URI.test(v), "Not a libvirt URI: it should look like qemu:///system."),
  storage: optionalText,
  format: optionalText.refine((v) => v === undefined || (OUTPUT_FORMATS as readonly string[]).includes(v), "We only support creation of raw and qcow2 format output files.") as unknown as z.ZodType<(typeof OUTPUT_FORMATS)[number] | undefined>,
  allocation: optionalText.refine((v) => v === undefined || (ALLOCATIONS as readonly string[]).includes(v), "allocation scheme must be sparse or preallocated") as unknown as z.ZodType<(typeof ALLOCATIONS)[number] | undefined>,
  name: optionalText.refine((v) => v === undefined || !/[/\s]/.test(v), "The output name (-on) may not contain a slash or spaces."),
}).superRefine((output, ctx) => checkOutput(output, ctx));

const mappings = (type: "network" | "bridge") =>
  z
    .array(z.preprocess(text, z.string()))
    .optional()
    .superRefine((list, ctx) => checkMappings(type, list ?? [], ctx));

const ZBool = z.preprocess((v) => (v === "true" || v === "on" || v === "1" ? true : v === "false" || v === "0" ? false : v), z.boolean().default(true));

const PRIVATE_KEY = /^-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----\r?\n[\s\S]+\r?\n-----END [A-Z0-9 ]*PRIVATE KEY-----\s*$/;
/** Blank = not given; values are never trimmed (a password may end in a space) nor echoed in a message. */
const secretText = z.preprocess((v) => (v === "" || v === null ? undefined : v), z.string().max(65_536, "Too long for a credential.").optional());
const ZCredentials = z
  .object({
    password: secretText,
    privateKey: secretText.refine((v) => v === undefined || PRIVATE_KEY.test(v.trim() + "\n"), "Paste the whole private key, from -----BEGIN ... PRIVATE KEY----- to -----END ... PRIVATE KEY-----."),
  })
  .optional()
  .transform((c): PlainCredentials | undefined => {
    if (!c || (c.password === undefined && c.privateKey === undefined)) return undefined;
    return { ...(c.password !== undefined ? { password: new Secret(c.password) } : {}), ...(c.privateKey !== undefined ? { privateKey: new Secret(c.privateKey) } : {}) };
  });

const ZBase = z.object({
  source: ZSource,
  output: ZOutput,
  profile: optionalText,
  network: mappings("network"),
  bridge: mappings("bridge"),
  dryRun: ZBool,
  /** Read a remote source's disks with these; sealed (AES-256-GCM) before the request is stored. */
  credentials: ZCredentials,
});

/** What callers send (form fields are strings; blank means not given). */
export type TConversionRequestInput = {
  source:
    | { method: "libvirtxml"; xml: string; fileName?: string | undefined; disks?: Record<string, string> | undefined; remote?: TRemoteInput | undefined }
    | { method: "libvirt"; uri: string; guest: string; remote?: TRemoteInput | undefined }
    | { method: string; [field: string]: unknown };
  output: { method?: string | undefined; uri?: string | undefined; storage?: string | undefined; format?: string | undefined; allocation?: string | undefined; name?: string | undefined };
  profile?: string | undefined;
  network?: string[] | undefined;
  bridge?: string[] | undefined;
  dryRun?: boolean | string | undefined;
  /** Plain text in; never stored as such (see create-conversion.ts). */
  credentials?: { password?: string | undefined; privateKey?: string | undefined } | undefined;
};
export type TRemoteInput = { uri?: string | undefined; knownHosts?: string | undefined; caCert?: string | undefined };
export type TRemote = { uri?: string | undefined; knownHosts?: string | undefined; caCert?: string | undefined };
export type TConversionSource =
  | { method: "libvirtxml"; xml: string; fileName?: string | undefined; disks?: Record<string, string> | undefined; guest: string; remote?: TRemote | undefined }
  | { method: "libvirt"; uri: string; guest: string; remote?: TRemote | undefined };
/**
 * The checked request, as stored in conversions.request. libvirtxml sources carry the guest name
 * read from the XML. `credentials` are Secrets (print ***) after parsing and sealed once stored.
 */
export type TConversionRequest = Omit<z.output<typeof ZBase>, "source" | "credentials"> & {
  source: TConversionSource;
  credentials?: PlainCredentials | SealedCredentials | undefined;
};

/** True when the source's disks are read over ssh (a libvirtxml remote, or an -ic xen+ssh:// URI). */
export function readsOverSsh(source: TConversionSource): boolean {
  if (source.method === "libvirtxml") return source.remote !== undefined;
  return source.remote?.uri !== undefined || /^[a-z]+\+ssh:\/\//i.test(source.uri);
}

type Ctx = z.RefinementCtx;

/** Reads the XML as virt-v2v would; a positioned error goes under the XML field. Returns the guest name. */
function checkXml(source: { xml: string; fileName?: string | undefined; disks?: Record<string, string> | undefined }, ctx: Ctx): string | undefined {
  let disks: string[];
  let name: string;
  try {
    const guest = parseDomainXml(source.xml, source.fileName ?? "domain.xml");
    disks = guest.disks.map((d) => d.path);
    name = guest.name;
  } catch (e) {
    const message = e instanceof DomainXmlError ? e.format() : e instanceof V2vError ? e.message : `The domain XML cannot be read: ${e instanceof Error ? e.message : String(e)}`;
    ctx.addIssue({ code: "custom", path: ["xml"], message });
    return undefined;
  }
  for (const [from, to] of Object.entries(source.disks ?? {})) {
    if (!disks.includes(from)) ctx.addIssue({ code: "custom", path: ["disks"], message: `The guest has no disk ${from} (its disks: ${disks.join(", ")}).` });
    if (!to.startsWith("/")) ctx.addIssue({ code: "custom", path: ["disks"], message: `The path on the agent host for ${from} must be absolute: ${to || "(blank)"}.` });
  }
  return name;
}

/** Each -n or -b value as virt-v2v parses them; the first value that makes the list invalid gets the message. */
function checkMappings(type: "network" | "bridge", list: readonly string[], ctx: Ctx, other: readonly string[] = []): void {
  // Blank rows are skipped but keep their index, so a message names the row the form shows.
  const upTo = (i: number) => list.slice(0, i + 1).filter((v) => v !== "");
  for (let i = 0; i < list.length; i++) {
    if (list[i] === "") continue;
    try {
      parseNetworkOptions(type === "network" ? { network: upTo(i), bridge: other } : { network: other, bridge: upTo(i) });
    } catch (e) {
      if (!(e instanceof V2vError)) throw e;
      ctx.addIssue({ code: "custom", path: other.length ? [type, i] : [i], message: e.message });
      return;
    }
  }
}

type Output = { method: string; uri?: string | undefined; storage?: string | undefined };

function checkOutput(output: Output, ctx: Ctx): void {
  if (output.uri !== undefined && output.method !== "libvirt") ctx.addIssue({ code: "custom", path: ["uri"], message: "An output URI (-oc) is only used with -o libvirt." });
  const storage = output.storage;
  if (storage === undefined) return;
  if (output.method === "local" && !storage.startsWith("/")) ctx.addIssue({ code: "custom", path: ["storage"], message: `-o local writes to a directory: give its absolute path, not ${storage}.` });
  if (output.method === "rhev" && !storage.startsWith("/") && !/^[^:/\s]+:\//.test(storage)) ctx.addIssue({ code: "custom", path: ["storage"], message: `-o rhev needs the export domain as host:/path or a mounted directory, not ${storage}.` });
  if (output.method === "libvirt" && /[/\s]/.test(storage)) ctx.addIssue({ code: "custom", path: ["storage"], message: `Output pool ${storage} is not a valid storage pool.` });
}

/**
 * The request schema. With `profiles` (the names in the configuration stack), a profile that
 * is not among them gets virt-v2v's "There is no profile named NAME".
 */
export function conversionRequestSchema(options: { profiles?: readonly string[] } = {}): z.ZodType<TConversionRequest, TConversionRequestInput> {
  return ZBase.transform((value, ctx): TConversionRequest => {
    const network = (value.network ?? []).filter((v) => v !== "");
    const bridge = (value.bridge ?? []).filter((v) => v !== "");
    // -n and -b defaults exclude each other: checked once each list is valid on its own.
    if (network.length) checkMappings("bridge", value.bridge ?? [], ctx, network);
    if (value.output.storage === undefined && value.profile === undefined) {
      ctx.addIssue({ code: "custom", path: ["output", "storage"], message: "Give the output storage (-os): a pool name for libvirt, a directory for local, an export domain for rhev; or pick a profile that supplies it." });
    }
    if (value.profile !== undefined && options.profiles && !options.profiles.includes(value.profile)) {
      ctx.addIssue({ code: "custom", path: ["profile"], message: `There is no profile named ${value.profile}` });
    }
    if (value.credentials && !readsOverSsh(value.source as TConversionSource)) {
      ctx.addIssue({ code: "custom", path: ["credentials"], message: "Credentials are only used to read a remote source's disks over ssh or https: give the remote host (ssh://user@host or esx://user@host/) or an -ic xen+ssh:// URI." });
    }
    const remoteUri = (value.source as TConversionSource & { remote?: TRemote }).remote?.uri;
    if (value.credentials?.privateKey && remoteUri !== undefined && /^esx:/i.test(remoteUri)) {
      ctx.addIssue({ code: "custom", path: ["credentials", "privateKey"], message: "An ESX host is read over https with a user name and password: a private key is for ssh sources." });
    }
    return { ...value, network: network.length ? network : undefined, bridge: bridge.length ? bridge : undefined };
  }) as unknown as z.ZodType<TConversionRequest, TConversionRequestInput>;
}

export const ZConversionRequest = conversionRequestSchema();

/** "-i libvirtxml domain.xml" / "-i libvirt -ic URI guest": how the list shows a source. */
export function describeSource(source: TConversionSource): string {
  return source.method === "libvirtxml" ? `libvirtxml ${source.fileName ?? "domain.xml"}` : `${source.uri} ${source.guest}`;
}

/** "-o libvirt pool default" etc.; a profile may supply what is missing. */
export function describeOutput(output: TConversionRequest["output"], profile?: string | null): string {
  const where = output.storage ?? (profile ? `from profile ${profile}` : "");
  return `${output.method}${where ? ` ${where}` : ""}`;
}
