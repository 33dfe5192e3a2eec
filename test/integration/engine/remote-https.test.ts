// Disks of an "ESX host" read over https: a Node https server this file starts on 127.0.0.1
// (test/helpers/esx-https.ts, certificate from a CA made here, Basic auth, byte ranges) serves
// the flat extent of a datastore path; nbdkit's curl plugin serves it as NBD; copy and inspect
// read it through that. Wrong password, wrong CA and a missing file are refused with reasons.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createMemoryContext } from "../../../server/engine/context.ts";
import { copyDisks } from "../../../server/engine/copy.ts";
import { inspectGuest, NoOperatingSystemError } from "../../../server/engine/inspect.ts";
import { runPipeline } from "../../../server/engine/pipeline.ts";
import { openRemoteDisks, RemoteSourceError, type RemoteSource } from "../../../server/engine/remote.ts";
import { Secret } from "../../../server/v2v/domain-xml.ts";
import { startEsx, type TestEsx } from "../../helpers/esx-https.ts";
import { MiB, processesMentioning, qemuImgCompare, rawImage, scratch } from "./helpers.ts";

const tmp = scratch("esx");
const PORT = 8443;
const DISK = "[datastore1] Fedora 11/Fedora11.vmdk";
let esx: TestEsx;
const flat = join(tmp.dir, "datastores", "datastore1", "Fedora 11", "Fedora11-flat.vmdk");

beforeAll(async () => {
  mkdirSync(join(tmp.dir, "datastores", "datastore1", "Fedora 11"), { recursive: true });
  mkdirSync(join(tmp.dir, "certs"));
  rawImage(flat, 64 * MiB, [[0, MiB], [30 * MiB, 2 * MiB], [63 * MiB, MiB]]);
  esx = await startEsx({ dir: join(tmp.dir, "certs"), root: join(tmp.dir, "datastores"), port: PORT });
}, 60_000);
afterAll(async () => {
  await esx?.stop();
  tmp.cleanup();
});

const good = (query = ""): RemoteSource => ({ uri: `esx://${esx.user}@127.0.0.1:${PORT}/${query}`, caCert: esx.caCert, credentials: { password: new Secret(esx.password) } });

async function refusal(source: RemoteSource, disk = DISK): Promise<RemoteSourceError> {
  const ctx = createMemoryContext({ scratchDir: tmp.dir });
  const error = await openRemoteDisks(ctx, source, [disk]).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteSourceError);
  expect(processesMentioning(`127.0.0.1:${PORT}/folder`)).toEqual([]);
  expect(JSON.stringify(ctx.lines)).not.toContain(esx.password);
  return error as RemoteSourceError;
}

describe("ESX disks over https", () => {
  test("copy: qemu-img reads the flat extent through nbdkit curl; same bytes, progress to the end; password never logged", async () => {
    const ctx = createMemoryContext({ scratchDir: tmp.dir });
    const remote = await openRemoteDisks(ctx, good(), [DISK]);
    const target = join(tmp.dir, "copied.qcow2");
    try {
      const [result] = await copyDisks(ctx, [{ name: "Fedora11.vmdk", source: remote.qemuUri(DISK), sourceFormat: "raw", target }], { format: "qcow2", allocation: "sparse" });
      expect(result).toMatchObject({ name: "Fedora11.vmdk", format: "qcow2", virtualSize: 64 * MiB, reused: false });
    } finally {
      await remote.close();
    }
    expect(qemuImgCompare(flat, target)).toBe(0);
    expect(ctx.events.at(-1)).toMatchObject({ stage: "copy", done: 64 * MiB, total: 64 * MiB });
    expect(ctx.lines[0]?.message).toBe(`Reading the source disks over https from ESX root@127.0.0.1:${PORT} (nbdkit curl plugin, read-only; with a password; certificate checked against the CA given with the source)`);
    expect(esx.requests).toContain(`HEAD /folder/Fedora%2011/Fedora11-flat.vmdk?dcPath=ha-datacenter&dsName=datastore1`);
    expect(processesMentioning(`127.0.0.1:${PORT}/folder`)).toEqual([]);
    expect(JSON.stringify(ctx.lines)).not.toContain(esx.password);
  });

  test("inspect: virt-inspector reads the remote blank disk over NBD and says there is no operating system", async () => {
    const ctx = createMemoryContext({ scratchDir: tmp.dir });
    const remote = await openRemoteDisks(ctx, good(), [DISK]);
    try {
      await expect(inspectGuest(ctx, [{ path: remote.guestfsUri(DISK), format: "raw" }])).rejects.toThrow(NoOperatingSystemError);
    } finally {
      await remote.close();
    }
    expect(JSON.stringify(ctx.lines)).not.toContain(esx.password);
  }, 300_000);

  test("a wrong password: ESX refused the user name or password", async () => {
    const error = await refusal({ ...good(), credentials: { password: new Secret("not-the-password") } });
    expect(error.code).toBe("AUTH_FAILED");
    expect(error.message).toBe(`ESX refused the user name or password for 127.0.0.1:${PORT}`);
  });

  test("a certificate from another CA: refused, naming the host and the certificate", async () => {
    const error = await refusal({ ...good(), caCert: esx.otherCaCert });
    expect(error.code).toBe("CERTIFICATE");
    expect(error.message).toContain(`The https certificate of 127.0.0.1:${PORT} could not be verified`);
  });

  test("no CA given: the system CAs do not know the test CA, so it is refused too", async () => {
    const error = await refusal({ ...good(), caCert: undefined });
    expect(error.code).toBe("CERTIFICATE");
  });

  test("?no_verify=1 reads without checking the certificate, with a warning saying so", async () => {
    const ctx = createMemoryContext({ scratchDir: tmp.dir });
    const remote = await openRemoteDisks(ctx, { ...good("?no_verify=1"), caCert: esx.otherCaCert }, [DISK]);
    await remote.close();
    expect(ctx.lines[0]).toMatchObject({ level: "warn", message: expect.stringContaining(`Not verifying the https certificate of 127.0.0.1:${PORT} (no_verify=1 in the source URI)`) });
  });

  test("a disk that is not on the datastore: named, with the host", async () => {
    const error = await refusal(good(), "[datastore1] Fedora 11/missing.vmdk");
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toBe(`The source disk [datastore1] Fedora 11/missing.vmdk does not exist on 127.0.0.1:${PORT} (https: 404 Not Found for its -flat.vmdk extent).`);
  });

  test("the pipeline: -i libvirtxml with the ESX guest's XML and remote esx:// reads its datastore disk over https, then inspection finds no OS", async () => {
    const fixture = readFileSync(join(import.meta.dirname, "../../fixtures/domains/esx-vmware.xml"), "utf8");
    const xml = join(tmp.dir, "esx-guest.xml");
    writeFileSync(xml, fixture.replace("[datastore] directory/Fedora11.vmdk", DISK));
    const ctx = createMemoryContext({ scratchDir: tmp.dir });
    const request = {
      source: { method: "libvirtxml" as const, file: xml },
      output: { method: "local" as const, storage: join(tmp.dir, "out") },
      dryRun: true,
      remote: { uri: good().uri, caCert: esx.caCert },
      credentials: { password: new Secret(esx.password) },
    };
    await expect(runPipeline(ctx, { request, files: [] })).rejects.toThrow(NoOperatingSystemError);
    const messages = ctx.lines.map((l) => l.message);
    expect(messages).toContain(`Reading the source disks over https from ESX root@127.0.0.1:${PORT} (nbdkit curl plugin, read-only; with a password; certificate checked against the CA given with the source)`);
    expect(processesMentioning(`127.0.0.1:${PORT}/folder`)).toEqual([]);
    expect(JSON.stringify(ctx.lines)).not.toContain(esx.password);
  }, 300_000);

  test("nothing listening: CONNECT, with curl's reason", async () => {
    const error = await refusal({ ...good(), uri: `esx://root@127.0.0.1:8449/` });
    expect(error.code).toBe("CONNECT");
    expect(error.message).toMatch(/^Cannot read \[datastore1\] Fedora 11\/Fedora11.vmdk from 127.0.0.1:8449 over https: .*(connect|refused)/i);
  });
});
