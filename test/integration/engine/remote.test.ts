// Remote disks over ssh against an sshd this file starts on loopback: nbdkit's ssh plugin
// serves the "remote" image as NBD; the copy and inspect stages read it through that; a wrong
// key, an unknown or changed host key and a missing file are refused with their reasons.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createMemoryContext } from "../../../server/engine/context.ts";
import { copyDisks } from "../../../server/engine/copy.ts";
import { inspectGuest, NoOperatingSystemError } from "../../../server/engine/inspect.ts";
import { openRemoteDisks, parseRemoteUri, unsupportedLibvirtInput, RemoteSourceError, type RemoteSource } from "../../../server/engine/remote.ts";
import { Secret } from "../../../server/v2v/domain-xml.ts";
import { startSshd, type TestSshd } from "../../helpers/sshd.ts";
import { MiB, processesMentioning, qemuImgCompare, rawImage, scratch } from "./helpers.ts";

const tmp = scratch("remote");
let sshd: TestSshd;
const remoteDisk = join(tmp.dir, "remote", "guest-disk.img");

beforeAll(async () => {
  sshd = await startSshd({ port: 2222 });
  mkdirSync(join(tmp.dir, "remote"), { recursive: true });
  // Data at the start, the middle and the end, so a copy that reads the wrong bytes differs.
  rawImage(remoteDisk, 64 * MiB, [[0, MiB], [30 * MiB, 2 * MiB], [63 * MiB, MiB]]);
}, 60_000);
afterAll(async () => {
  await sshd?.stop();
  tmp.cleanup();
});


const good = (): RemoteSource => ({ uri: sshd.uri, knownHosts: sshd.knownHosts, credentials: { privateKey: new Secret(sshd.clientKey) } });

async function refusal(source: RemoteSource, path = remoteDisk): Promise<RemoteSourceError> {
  const ctx = createMemoryContext({ scratchDir: tmp.dir });
  const error = await openRemoteDisks(ctx, source, [path]).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteSourceError);
  // The refusal leaves nothing running and no key file behind.
  expect(processesMentioning(`path=${path}`)).toEqual([]);
  return error as RemoteSourceError;
}

describe("remote disks over ssh", () => {
  test("copy: qemu-img reads the remote disk through nbdkit; same bytes, progress to the end; nothing left running", async () => {
    const ctx = createMemoryContext({ scratchDir: tmp.dir });
    const remote = await openRemoteDisks(ctx, good(), [remoteDisk]);
    const target = join(tmp.dir, "copied.qcow2");
    try {
      const [result] = await copyDisks(ctx, [{ name: "guest-disk.img", source: remote.qemuUri(remoteDisk), sourceFormat: "raw", target }], { format: "qcow2", allocation: "sparse" });
      expect(result).toMatchObject({ name: "guest-disk.img", sourceFormat: "raw", format: "qcow2", virtualSize: 64 * MiB, reused: false });
    } finally {
      await remote.close();
    }
    expect(qemuImgCompare(remoteDisk, target)).toBe(0);
    expect(ctx.events.at(-1)).toMatchObject({ stage: "copy", done: 64 * MiB, total: 64 * MiB });
    const messages = ctx.lines.map((l) => l.message);
    expect(messages[0]).toBe(`Reading the source disks over ssh from ${sshd.user}@127.0.0.1:${sshd.port} (nbdkit ssh plugin, read-only; authenticating with a private key; host key checked against the known_hosts given with the source)`);
    expect(messages).toContain(`Transferring storage volume guest-disk.img: ${64 * MiB} bytes`);
    expect(processesMentioning(`path=${remoteDisk}`)).toEqual([]);
    // The private key never reaches a log line.
    expect(JSON.stringify(ctx.lines)).not.toContain(sshd.clientKey.split("\n")[1]);
  });

  test("cancel during a remote copy: qemu-img stops, the partial volume is removed, nbdkit stops on close", async () => {
    const ctx = createMemoryContext({ scratchDir: tmp.dir });
    const remote = await openRemoteDisks(ctx, good(), [remoteDisk]);
    const target = join(tmp.dir, "cancelled.raw");
    const copying = copyDisks(ctx, [{ name: "guest-disk.img", source: remote.qemuUri(remoteDisk), sourceFormat: "raw", target }], { format: "raw", allocation: "preallocated" });
    setTimeout(() => ctx.cancel(), 50);
    const error = await copying.then(() => undefined, (e: unknown) => e);
    await remote.close();
    expect((error as { code?: string } | undefined)?.code).toBe("CANCELLED");
    expect(existsSync(target)).toBe(false);
    expect(processesMentioning(`path=${remoteDisk}`)).toEqual([]);
  });

  test("inspect: virt-inspector reads the remote blank disk over NBD and says there is no operating system", async () => {
    const ctx = createMemoryContext({ scratchDir: tmp.dir });
    const remote = await openRemoteDisks(ctx, good(), [remoteDisk]);
    try {
      await expect(inspectGuest(ctx, [{ path: remote.guestfsUri(remoteDisk), format: "raw" }])).rejects.toThrow(NoOperatingSystemError);
    } finally {
      await remote.close();
    }
  }, 300_000);

  test("a key the host does not accept: authentication failed, said plainly", async () => {
    const error = await refusal({ ...good(), credentials: { privateKey: new Secret(sshd.wrongKey) } });
    expect(error.code).toBe("AUTH_FAILED");
    expect(error.message).toBe(`ssh authentication to ${sshd.user}@127.0.0.1:${sshd.port} failed: the host refused the private key or password in the conversion's credentials.`);
  });

  test("a host key not in the known_hosts given: refused, never accepted silently", async () => {
    const error = await refusal({ ...good(), knownHosts: "" });
    expect(error.code).toBe("HOST_KEY_UNKNOWN");
    expect(error.message).toContain(`The ssh host key of 127.0.0.1 port ${sshd.port} is not in the known_hosts given with the source: refusing to connect`);
  });

  test("a host key that differs from the known_hosts entry: refused as a possible impersonation", async () => {
    const error = await refusal({ ...good(), knownHosts: sshd.otherKnownHosts });
    expect(error.code).toBe("HOST_KEY_CHANGED");
    expect(error.message).toContain(`The ssh host key of 127.0.0.1 port ${sshd.port} does not match its known_hosts entry: refusing to connect`);
  });

  test("a disk that is not on the remote host: named, with the host", async () => {
    const missing = join(tmp.dir, "remote", "nope.img");
    const error = await refusal(good(), missing);
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toBe(`The source disk ${missing} does not exist on 127.0.0.1 port ${sshd.port} (sftp: No such file).`);
  });

  test("URIs: ssh:// and xen+ssh:// name the host; vpx:// is not supported yet; -ic esx:// is refused; a password in the URI is refused", () => {
    expect(parseRemoteUri("xen+ssh://root@xen.example/")).toEqual({ user: "root", host: "xen.example", port: undefined });
    expect(parseRemoteUri("ssh://admin@[::1]:2200")).toEqual({ user: "admin", host: "::1", port: 2200 });
    expect(() => parseRemoteUri("vpx://vc.example/dc/host")).toThrow(/^vpx:\/\/ sources are not supported yet: Ferry reads remote disks over ssh \(ssh:\/\/, xen\+ssh:\/\/\) or from an ESX host over https \(esx:\/\/\)/);
    expect(unsupportedLibvirtInput("esx://esx.example/?no_verify=1")?.message).toBe("-i libvirt -ic esx:// is not supported: Ferry does not read the guest's XML through virsh's ESX driver. Give the guest's domain XML with -i libvirtxml and the source's remote esx://user@host/, so its disks are read over https.");
    expect(unsupportedLibvirtInput("xen+ssh://root@xen/")).toBeUndefined();
    expect(() => parseRemoteUri("ssh://root:hunter2@host/")).toThrow("Put the ssh password in the conversion's credentials, not in the URI");
    expect(() => parseRemoteUri("http://host/")).toThrow("http:// is not a remote source Ferry reads disks from");
  });
});
