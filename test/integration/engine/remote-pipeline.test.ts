// A conversion whose disks are on another host, end to end: the request with its ssh
// credentials goes into Postgres sealed; the embedded agent opens them, reads the RHEL 5.4 test
// guest over ssh from an sshd this file starts on loopback (nbdkit ssh plugin), inspects and
// plans it. (The copy over ssh, with progress and cancel, is remote.test.ts's; installing and
// converting are the same stages as for a local source, pipeline.test.ts's: a whole second
// conversion here would cost CI several minutes of emulated appliances.) A planted password and
// the private key appear nowhere: not in the log lines, the stored request, the audit trail, or
// what pages get.
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startConsoleAgents } from "../../../server/agents/embedded.ts";
import { createPipelineRunner } from "../../../server/agents/pipeline-runner.ts";
import { applyImport } from "../../../server/config/apply-import.ts";
import { createLayer } from "../../../server/config/create-layer.ts";
import { seedVendorLayer } from "../../../server/config/seed-vendor-layer.ts";
import { createConversion } from "../../../server/conversions/create-conversion.ts";
import { getConversion } from "../../../server/conversions/get-conversion.ts";
import type { Db } from "../../../server/db/client.ts";
import type { ConversionPlan } from "../../../server/v2v/index.ts";
import { RHEL5_KERNEL_RPM, buildRhel5Guest, type Rhel5Guest } from "../../helpers/rhel5-guest.ts";
import { startSshd, type TestSshd } from "../../helpers/sshd.ts";
import { waitFor } from "../agents/helpers.ts";
import { alice, conf } from "../config/helpers.ts";
import { freshDatabase } from "../db.ts";
import { processesMentioning, scratch } from "./helpers.ts";

const tmp = scratch("remote-pipeline");
const PLANTED = `pl4nted-${randomBytes(6).toString("hex")}`;
let prisma: Db;
let sshd: TestSshd;
let guest: Rhel5Guest;
const outDir = join(tmp.dir, "out");
const repo = join(tmp.dir, "repo");
const KERNEL_PATH = `rhel/5/${RHEL5_KERNEL_RPM}`;
const savedKey = process.env.FERRY_SECRET_KEY;

/** The private key's base64 body lines: any of them in a stored text would be a leak. */
const keyLines = () => sshd.clientKey.split("\n").filter((l) => l && !l.startsWith("-----"));

function expectNoSecret(text: string, where: string): void {
  expect(text.includes(PLANTED), `${where} holds the planted password`).toBe(false);
  for (const line of keyLines()) expect(text.includes(line), `${where} holds a line of the private key`).toBe(false);
}

beforeAll(async () => {
  process.env.FERRY_SECRET_KEY = randomBytes(32).toString("base64");
  sshd = await startSshd({ port: 2223 });
  ({ prisma } = await freshDatabase("remote_pipeline"));
  await seedVendorLayer(prisma);
  guest = await buildRhel5Guest(join(tmp.dir, "remote-host"), { name: "rhel54-remote" });
  mkdirSync(outDir, { recursive: true });
  mkdirSync(join(repo, "rhel/5"), { recursive: true });
  copyFileSync(guest.kernelRpm, join(repo, KERNEL_PATH));
  // The team's layer: the non-Xen kernel from a repository on this host (as pipeline.test.ts).
  const site = await createLayer(prisma, alice, { name: "Site" });
  await applyImport(prisma, alice, { layerId: site.id, baseRevision: 1, text: conf(siteText()) });
}, 900_000);

function siteText(): string {
  return `<capability os='linux' distro='rhel' major='5' name='virtio'><dep name='kernel' minversion='2.6.18-128.el5'/></capability>
<app os='linux' distro='rhel' major='5' arch='x86_64' name='kernel'><path>${KERNEL_PATH}</path></app>
<path-root>${repo}</path-root>`;
}

afterAll(async () => {
  if (savedKey === undefined) delete process.env.FERRY_SECRET_KEY;
  else process.env.FERRY_SECRET_KEY = savedKey;
  await sshd?.stop();
  await prisma?.$disconnect();
  tmp.cleanup();
});

let conversionId: string;
let plan: ConversionPlan;

describe("a remote Xen guest read over ssh", () => {
  test("stored sealed; the embedded agent reads the disks over ssh, inspects and plans; no secret in logs, row, audit or page data", async () => {
    const row = await createConversion(prisma, alice, {
      source: { method: "libvirtxml", xml: readFileSync(guest.xml, "utf8"), fileName: "rhel54-remote.xml", remote: { uri: sshd.uri, knownHosts: sshd.knownHosts } },
      output: { method: "local", storage: outDir },
      dryRun: true,
      credentials: { privateKey: sshd.clientKey, password: PLANTED },
    });
    conversionId = row.id;

    const [stored] = await prisma.$queryRaw<{ request: string }[]>`SELECT request::text AS request FROM conversions WHERE id = ${row.id}`;
    expect(stored!.request).toContain('"sealed": "ferry-sealed:v1:');
    expect(stored!.request).toContain('"kinds": ["password", "privateKey"]');
    expectNoSecret(stored!.request, "conversions.request");

    const agents = await startConsoleAgents(prisma, { version: "test", dataDir: join(tmp.dir, "data"), runner: createPipelineRunner() });
    let done;
    try {
      done = await waitFor(
        "the dry run to finish",
        async () => {
          const c = await prisma.conversion.findUniqueOrThrow({ where: { id: row.id } });
          return ["planned", "failed", "succeeded"].includes(c.status) ? c : undefined;
        },
        600_000,
      );
    } finally {
      await agents.stop();
    }
    expect({ status: done.status, error: done.error }).toEqual({ status: "planned", error: null });
    plan = done.plan as unknown as ConversionPlan;
    expect(plan.guest.facts).toMatchObject({ distro: "rhel", major: "5", minor: "4", kernel: { name: "kernel-xen", xen: true } });
    // Volume names and the plan come from the remote path, not the NBD socket it was read through.
    expect(plan.disks[0]!.source.path).toBe(guest.disk);
    expect(processesMentioning(`path=${guest.disk}`)).toEqual([]);

    const logs = await prisma.$queryRaw<{ text: string }[]>`SELECT string_agg(message, E'\n' ORDER BY seq) AS text FROM conversion_logs WHERE conversion_id = ${row.id}`;
    expect(logs[0]!.text).toContain(`Reading the source disks over ssh from ${sshd.user}@127.0.0.1:${sshd.port} (nbdkit ssh plugin, read-only; authenticating with a private key; host key checked against the known_hosts given with the source)`);
    expect(logs[0]!.text).toContain("Inspecting the source");
    expectNoSecret(logs[0]!.text, "conversion_logs");

    const audit = await prisma.$queryRaw<{ text: string }[]>`SELECT string_agg(after::text, E'\n') AS text FROM audit_events WHERE target_id = ${row.id}`;
    expect(audit[0]!.text).toContain('"kinds": ["password", "privateKey"]');
    expectNoSecret(audit[0]!.text, "audit_events");

    // What the conversion page and its JSON are built from.
    expectNoSecret(JSON.stringify(await getConversion(prisma, row.id)), "getConversion");
  }, 900_000);
});
