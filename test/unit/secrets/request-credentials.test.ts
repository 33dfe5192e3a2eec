// The request schema's remote source and credentials: credentials become Secrets (*** in any
// JSON), are refused where no remote source would use them, and a bad value's message never
// echoes it.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { auditedRequest } from "../../../server/conversions/create-conversion.ts";
import { conversionRequestSchema, type TConversionRequestInput } from "../../../server/conversions/request.ts";

const pv = readFileSync(path.resolve(import.meta.dirname, "../../fixtures/domains/xen-pv-pygrub.xml"), "utf8");
const PLANTED = "pl4nted-S3cret-pw";
const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----\n";

const CA = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n";

const request = (over: Partial<TConversionRequestInput> = {}): TConversionRequestInput => ({
  source: { method: "libvirtxml", xml: pv, remote: { uri: "ssh://root@xen.example:22", knownHosts: "xen.example ssh-ed25519 AAAA" } },
  output: { method: "local", storage: "/var/tmp/out" },
  credentials: { password: PLANTED, privateKey: KEY },
  ...over,
});

function issues(input: TConversionRequestInput): Record<string, string> {
  const parsed = conversionRequestSchema().safeParse(input);
  if (parsed.success) return {};
  return Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("."), i.message]));
}

describe("remote source and credentials in the request", () => {
  test("parsed: the remote kept, credentials as Secrets that print ***; the audit keeps only their kinds", () => {
    const parsed = conversionRequestSchema().parse(request());
    expect(parsed.source).toMatchObject({ remote: { uri: "ssh://root@xen.example:22" } });
    expect(JSON.stringify(parsed)).not.toContain(PLANTED);
    expect(JSON.stringify(parsed)).toContain('"credentials":{"password":"***","privateKey":"***"}');
    expect(JSON.stringify(auditedRequest(parsed))).toContain('"credentials":{"kinds":["password","privateKey"]}');
  });

  test("-ic xen+ssh:// reads over ssh without a separate remote; blank credentials mean none", () => {
    const parsed = conversionRequestSchema().parse(request({ source: { method: "libvirt", uri: "xen+ssh://root@xen.example/", guest: "g" }, credentials: { password: "", privateKey: "" } }));
    expect(parsed.credentials).toBeUndefined();
    expect(issues(request({ source: { method: "libvirt", uri: "xen+ssh://root@xen.example/", guest: "g" } }))).toEqual({});
  });

  test("-i libvirtxml with esx://: the remote and its CA kept, the password a Secret", () => {
    const parsed = conversionRequestSchema().parse(request({ source: { method: "libvirtxml", xml: pv, remote: { uri: "esx://root@esx.example/?no_verify=1", caCert: CA } }, credentials: { password: PLANTED } }));
    expect(parsed.source).toMatchObject({ remote: { uri: "esx://root@esx.example/?no_verify=1", caCert: CA.trim() } });
    expect(JSON.stringify(parsed)).not.toContain(PLANTED);
  });

  test.each<[string, TConversionRequestInput, string, string]>([
    ["credentials with local disks", request({ source: { method: "libvirtxml", xml: pv } }), "credentials", "Credentials are only used to read a remote source's disks over ssh or https"],
    ["credentials with -ic qemu:///system", request({ source: { method: "libvirt", uri: "qemu:///system", guest: "g" } }), "credentials", "Credentials are only used"],
    ["esx remote with -i libvirt", request({ source: { method: "libvirt", uri: "qemu:///system", guest: "g", remote: { uri: "esx://esx.example/" } } }), "source.remote.uri", "Remote disks are read over ssh: give ssh://user@host[:port] (esx:// disks are read with -i libvirtxml)."],
    ["vpx remote", request({ source: { method: "libvirtxml", xml: pv, remote: { uri: "vpx://vc.example/dc/host" } } }), "source.remote.uri", "Remote disks are read over ssh or from ESX over https"],
    ["password in an esx URI", request({ source: { method: "libvirtxml", xml: pv, remote: { uri: `esx://root:${PLANTED}@esx.example/` } }, credentials: { password: PLANTED } }), "source.remote.uri", "Put the ESX password in the credentials, not in the URI"],
    ["a private key for esx", request({ source: { method: "libvirtxml", xml: pv, remote: { uri: "esx://root@esx.example/" } } }), "credentials.privateKey", "An ESX host is read over https with a user name and password"],
    ["a CA certificate that is not PEM", request({ source: { method: "libvirtxml", xml: pv, remote: { uri: "esx://root@esx.example/", caCert: "not a cert" } }, credentials: { password: PLANTED } }), "source.remote.caCert", "Paste the CA certificate in PEM form"],
    ["a CA certificate for ssh", request({ source: { method: "libvirtxml", xml: pv, remote: { uri: "ssh://root@xen.example", caCert: CA } } }), "source.remote.caCert", "A CA certificate is for esx:// (https) sources"],
    ["password in the URI", request({ source: { method: "libvirtxml", xml: pv, remote: { uri: `ssh://root:${PLANTED}@xen.example` } } }), "source.remote.uri", "Put the ssh password in the credentials, not in the URI"],
    ["remote without a host", request({ source: { method: "libvirtxml", xml: pv, remote: { knownHosts: "x" } } }), "source.remote.uri", "Give the remote host as ssh://user@host[:port] or esx://user@host/."],
    ["a private key that is not one", request({ credentials: { privateKey: PLANTED } }), "credentials.privateKey", "Paste the whole private key"],
  ])("%s", (_name, input, key, message) => {
    const found = issues(input);
    expect(Object.keys(found)).toEqual([key]);
    expect(found[key]).toContain(message);
    expect(JSON.stringify(found)).not.toContain(PLANTED);
  });
});
