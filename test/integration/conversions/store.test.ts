// The conversions store against a real Postgres: a conversion is created with its audit record
// and the configuration revisions in one transaction; cancel, start-from-plan, retry and
// re-plan move only the states they apply to, and a refused change leaves everything as it was.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../../../server/db/client.ts";
import { applyImport } from "../../../server/config/apply-import.ts";
import { createLayer } from "../../../server/config/create-layer.ts";
import { seedVendorLayer } from "../../../server/config/seed-vendor-layer.ts";
import { createConversion, getConversion, listConversions, replan, requestCancel, retry, startFromPlan } from "../../../server/conversions/store.ts";
import type { TConversionRequestInput } from "../../../server/conversions/request.ts";
import { freshDatabase } from "../db.ts";
import { alice, appError, auditActions, conf } from "../config/helpers.ts";

const pv = readFileSync(path.resolve(import.meta.dirname, "../../fixtures/domains/xen-pv-pygrub.xml"), "utf8");
const request = (extra: Partial<TConversionRequestInput> = {}): TConversionRequestInput => ({
  source: { method: "libvirtxml", xml: pv },
  output: { method: "libvirt", storage: "default" },
  dryRun: true,
  ...extra,
});

let prisma: Db;
let siteId: string;
beforeAll(async () => {
  ({ prisma } = await freshDatabase("conversions_store"));
  await seedVendorLayer(prisma);
  const site = await createLayer(prisma, alice, { name: "Site" });
  siteId = site.id;
  await applyImport(prisma, alice, { layerId: site.id, baseRevision: 1, text: conf("<profile name='rhel-pool'><method>libvirt</method><storage format='qcow2'>images</storage></profile>") });
});
afterAll(async () => prisma?.$disconnect());

/** Everything a refused change must leave untouched. */
async function snapshot(id: string) {
  const row = await prisma.conversion.findUniqueOrThrow({ where: { id } });
  return { row, audits: await prisma.auditEvent.count() };
}

/** What an agent does (another engineer's code): claim, run, end. Raw SQL as the agent writes it. */
async function agentSets(id: string, status: string, extra: { plan?: unknown; error?: string; attempt?: number } = {}) {
  await prisma.conversion.update({ where: { id }, data: { status, ...(extra.plan ? { plan: extra.plan as object } : {}), ...(extra.error ? { error: extra.error } : {}), attempt: { increment: extra.attempt ?? 0 }, ...(status === "running" ? { startedAt: new Date() } : { finishedAt: new Date() }) } });
}

describe("creating a conversion", () => {
  test("queues it with the guest name from the XML, the layers' head revisions and its audit record", async () => {
    const row = await createConversion(prisma, alice, request({ profile: "rhel-pool", network: ["xenbr0:br0"] }));
    expect(row).toMatchObject({ guestName: "XenGuest1", status: "queued", dryRun: true, profile: "rhel-pool", createdByEmail: "alice@example.test", attempt: 0, plan: null });
    expect(row.configRevisions).toEqual([
      { layerId: siteId, file: "Site", revision: 2 },
      { layerId: expect.any(String), file: "Vendor", revision: 1 },
    ]);
    expect(row.request).toMatchObject({ source: { method: "libvirtxml", guest: "XenGuest1", xml: pv }, network: ["xenbr0:br0"] });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { targetId: row.id } });
    expect(audit).toMatchObject({ action: "conversion.plan", targetType: "conversion", actorEmail: "alice@example.test", ip: "10.0.0.1" });
    expect(JSON.stringify(audit.after)).not.toContain("<domain"); // the XML itself stays out of the audit log
  });

  test("a profile the stack does not define is refused under its field, and nothing is written", async () => {
    const before = { conversions: await prisma.conversion.count(), audits: await prisma.auditEvent.count() };
    const error = await appError(createConversion(prisma, alice, request({ profile: "gold" })));
    expect(error).toMatchObject({ code: "INVALID_INPUT", fieldErrors: { profile: ["There is no profile named gold"] } });
    const broken = await appError(createConversion(prisma, alice, request({ source: { method: "libvirtxml", xml: "<domain type='xen'><name>x</name>" } })));
    expect(broken.fieldErrors?.["source.xml"]?.[0]).toMatch(/^domain\.xml:\d+:\d+: /);
    expect({ conversions: await prisma.conversion.count(), audits: await prisma.auditEvent.count() }).toEqual(before);
  });

  test("the list is newest first, filtered by status, paged, with counts per status", async () => {
    const second = await createConversion(prisma, alice, request({ source: { method: "libvirt", uri: "xen+ssh://root@xen.example/", guest: "web1" }, dryRun: false }));
    const page = await listConversions(prisma, { pageSize: 1 });
    expect(page).toMatchObject({ total: 2, prev: null, next: expect.any(String), counts: { queued: 2 } });
    expect(page.items).toEqual([expect.objectContaining({ id: second.id, guestName: "web1", source: "xen+ssh://root@xen.example/ web1", output: "libvirt default", agent: null, dryRun: false })]);
    expect((await listConversions(prisma, { after: page.next!, pageSize: 1 })).items[0]).toMatchObject({ guestName: "XenGuest1", profile: "rhel-pool" });
    expect((await listConversions(prisma, { status: "running,failed" })).items).toEqual([]);
    expect((await listConversions(prisma, { guest: "xeng" })).items.map((i) => i.guestName)).toEqual(["XenGuest1"]);
  });
});

describe("state changes", () => {
  test("cancel: a queued one at once; a running one by request; a finished one is refused and unchanged", async () => {
    const queued = await createConversion(prisma, alice, request());
    const cancelled = await requestCancel(prisma, alice, queued.id);
    expect(cancelled).toMatchObject({ status: "cancelled", cancelRequested: false, finishedAt: expect.any(Date) });
    expect(await auditActions(prisma, queued.id)).toEqual(["conversion.plan", "conversion.cancel"]);

    const running = await createConversion(prisma, alice, request());
    await agentSets(running.id, "running", { attempt: 1 });
    expect(await requestCancel(prisma, alice, running.id)).toMatchObject({ status: "running", cancelRequested: true });
    const again = await snapshot(running.id);
    expect(await appError(requestCancel(prisma, alice, running.id))).toMatchObject({ code: "CONFLICT", message: `Cancel of conversion #${running.number} was already requested; its agent is stopping it.` });
    expect(await snapshot(running.id)).toEqual(again);

    await agentSets(running.id, "succeeded");
    const done = await snapshot(running.id);
    expect((await appError(requestCancel(prisma, alice, running.id))).message).toBe(`Conversion #${running.number} has succeeded: there is nothing to cancel.`);
    expect(await snapshot(running.id)).toEqual(done);
    expect((await appError(requestCancel(prisma, alice, "no-such-id"))).code).toBe("NOT_FOUND");
  });

  test("a planned dry run starts as a run reusing its plan, or planning again; a queued one cannot be started", async () => {
    const dry = await createConversion(prisma, alice, request());
    const before = await snapshot(dry.id);
    expect((await appError(startFromPlan(prisma, alice, dry.id))).message).toBe(`Conversion #${dry.number} is queued: only a planned dry run can be started from its plan.`);
    expect(await snapshot(dry.id)).toEqual(before);

    const plan = { version: 1, guest: { name: "XenGuest1" }, warnings: [] };
    await agentSets(dry.id, "running", { attempt: 1 });
    await agentSets(dry.id, "planned", { plan });
    const started = await startFromPlan(prisma, alice, dry.id);
    expect(started).toMatchObject({ status: "queued", dryRun: false, plan, finishedAt: null, startedAt: null, attempt: 1 });

    const other = await createConversion(prisma, alice, request());
    await agentSets(other.id, "planned", { plan });
    await prisma.configLayer.update({ where: { id: siteId }, data: {} });
    const replanned = await startFromPlan(prisma, alice, other.id, { replan: true });
    expect(replanned).toMatchObject({ status: "queued", dryRun: false, plan: null });
    expect(await auditActions(prisma, other.id)).toEqual(["conversion.plan", "conversion.start"]);
  });

  test("retry: failed, cancelled or interrupted back in the queue, plan reused unless re-planned; others refused", async () => {
    const run = await createConversion(prisma, alice, request({ dryRun: false }));
    const plan = { version: 1, guest: { name: "XenGuest1" }, warnings: [] };
    await agentSets(run.id, "running", { attempt: 1, plan });
    const busy = await snapshot(run.id);
    expect((await appError(retry(prisma, alice, run.id))).message).toBe(`Conversion #${run.number} is running: only a failed, cancelled or interrupted conversion can be retried.`);
    expect(await snapshot(run.id)).toEqual(busy);

    await agentSets(run.id, "interrupted", { error: "The agent stopped answering." });
    const retried = await retry(prisma, alice, run.id);
    expect(retried).toMatchObject({ status: "queued", plan, error: null, finishedAt: null, startedAt: null, agentId: null, attempt: 1 });
    await agentSets(run.id, "running", { attempt: 1 });
    await agentSets(run.id, "failed", { error: "qemu-img: Could not open" });
    expect(await retry(prisma, alice, run.id, { replan: true })).toMatchObject({ status: "queued", plan: null, dryRun: false, attempt: 2 });
    expect(await auditActions(prisma, run.id)).toEqual(["conversion.create", "conversion.retry", "conversion.retry"]);
  });

  test("re-plan turns a planned or failed conversion into a fresh dry run; a running one is refused", async () => {
    const row = await createConversion(prisma, alice, request({ dryRun: false }));
    await agentSets(row.id, "running", { attempt: 1 });
    expect((await appError(replan(prisma, alice, row.id))).message).toBe(`Conversion #${row.number} is running: it can be planned again once it has stopped.`);
    await agentSets(row.id, "failed", { plan: { version: 1 } });
    expect(await replan(prisma, alice, row.id)).toMatchObject({ status: "queued", dryRun: true, plan: null });
  });
});

describe("reading one conversion", () => {
  test("its latest attempt's log: the tail in reading order, older lines on request, newer after a seq", async () => {
    const row = await createConversion(prisma, alice, request());
    await agentSets(row.id, "running", { attempt: 1 });
    await prisma.conversionLog.createMany({ data: [{ conversionId: row.id, attempt: 1, seq: 1, level: "info", stage: "source", message: "old attempt" }] });
    await agentSets(row.id, "running", { attempt: 1 });
    await prisma.conversionLog.createMany({
      data: Array.from({ length: 10 }, (_, i) => ({ conversionId: row.id, attempt: 2, seq: i + 1, level: i === 9 ? "error" : "info", stage: i < 5 ? "source" : "copy", message: `line ${i + 1}` })),
    });
    const detail = await getConversion(prisma, row.id, { tail: 3 });
    expect(detail.log).toMatchObject({ attempt: 2, hasEarlier: true });
    expect(detail.log.lines.map((l) => `${l.seq} ${l.level} ${l.stage} ${l.message}`)).toEqual(["8 info copy line 8", "9 info copy line 9", "10 error copy line 10"]);
    expect((await getConversion(prisma, row.id, { beforeSeq: 8, tail: 2 })).log.lines.map((l) => l.seq)).toEqual([6, 7]);
    expect((await getConversion(prisma, row.id, { afterSeq: 8 })).log.lines.map((l) => l.seq)).toEqual([9, 10]);
    expect((await getConversion(prisma, row.id, { attempt: 1 })).log).toMatchObject({ attempt: 1, hasEarlier: false, lines: [{ message: "old attempt" }] });
    expect((await appError(getConversion(prisma, "nope"))).code).toBe("NOT_FOUND");
  });
});
