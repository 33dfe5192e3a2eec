// Layers: the Vendor layer seeded at start (once, and again only when the shipped file
// changes), team layers created before it, renamed, reordered and deleted, each audited.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../../../server/db/client.ts";
import { createLayer } from "../../../server/config/create-layer.ts";
import { deleteLayer } from "../../../server/config/delete-layer.ts";
import { getLayer } from "../../../server/config/get-layer.ts";
import { getStack } from "../../../server/config/get-stack.ts";
import { listLayers } from "../../../server/config/list-layers.ts";
import { reorderLayers } from "../../../server/config/reorder-layers.ts";
import { VENDOR_DB_URL, seedVendorLayer } from "../../../server/config/seed-vendor-layer.ts";
import { updateLayer } from "../../../server/config/update-layer.ts";
import { matchCapability, parseConfig } from "../../../server/v2v/index.ts";
import { freshDatabase } from "../db.ts";
import { alice, appError, auditActions } from "./helpers.ts";

let prisma: Db;
beforeAll(async () => {
  ({ prisma } = await freshDatabase("config_layers"));
});
afterAll(async () => prisma?.$disconnect());

const names = async () => (await listLayers(prisma)).map((l) => l.name);

describe("the Vendor layer", () => {
  test("is seeded once from the shipped virt-v2v.db: a second start writes nothing", async () => {
    const first = await seedVendorLayer(prisma);
    expect(first).toMatchObject({ created: true, revision: 1 });
    const again = await seedVendorLayer(prisma);
    expect(again).toEqual({ layerId: first.layerId, revision: 1, created: false, updated: false });
    expect(await prisma.configLayer.count()).toBe(1);
    expect(await prisma.configRevision.count()).toBe(1);

    const vendor = await getLayer(prisma, first.layerId);
    expect(vendor).toMatchObject({ name: "Vendor", kind: "vendor", readOnly: true, revision: 1 });
    const shipped = parseConfig(readFileSync(VENDOR_DB_URL, "utf8"), "Vendor");
    expect(vendor.model.apps).toHaveLength(shipped.apps.length);
    expect(vendor.model.pathRoot).toBe(shipped.pathRoot);
    const revision = await prisma.configRevision.findFirstOrThrow({ where: { layerId: first.layerId } });
    expect(revision.authorEmail).toBe("system");
    expect(await auditActions(prisma, first.layerId)).toEqual(["config.layer.create"]);
  });

  test("a newer Ferry with a changed vendor file adds one vendor revision", async () => {
    const text = readFileSync(VENDOR_DB_URL, "utf8").replace("</virt-v2v>", "<capability os='linux' distro='rhel' major='8' name='virtio'/>\n</virt-v2v>");
    const seeded = await seedVendorLayer(prisma, { text, version: "9.9.9" });
    expect(seeded).toMatchObject({ created: false, updated: true, revision: 2 });
    const revision = await prisma.configRevision.findFirstOrThrow({ where: { layerId: seeded.layerId, number: 2 } });
    expect(revision.summary).toBe("Vendor configuration of Ferry 9.9.9: 1 added, 0 changed, 0 removed");
    expect(await seedVendorLayer(prisma, { text, version: "9.9.9" })).toMatchObject({ updated: false, revision: 2 });
    const stack = await getStack(prisma);
    expect(matchCapability(stack.map((s) => s.config), { name: "virtio", os: "linux", distro: "rhel", major: "8" }).file).toBe("Vendor");
  });

  test("cannot be renamed, reordered or deleted", async () => {
    const vendor = (await listLayers(prisma))[0]!;
    expect((await appError(updateLayer(prisma, alice, { layerId: vendor.id, name: "Mine" }))).code).toBe("FORBIDDEN");
    expect((await appError(deleteLayer(prisma, alice, { layerId: vendor.id }))).message).toMatch(/Vendor layer ships with Ferry and is read-only/);
    expect((await appError(reorderLayers(prisma, alice, { layerIds: [vendor.id] }))).code).toBe("FORBIDDEN");
  });
});

describe("team layers", () => {
  test("are created before the Vendor layer, in order of creation, each audited", async () => {
    const site = await createLayer(prisma, alice, { name: "Site", description: "Our data centre" });
    await createLayer(prisma, alice, { name: "Lab" });
    expect(await names()).toEqual(["Site", "Lab", "Vendor"]);
    const stack = await getStack(prisma);
    expect(stack.map((s) => [s.name, s.kind, s.config.file])).toEqual([["Site", "team", "Site"], ["Lab", "team", "Lab"], ["Vendor", "vendor", "Vendor"]]);
    expect(stack[0]!.revision).toBe(1);
    expect(stack[0]!.config.apps).toEqual([]);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { targetId: site.id } });
    expect(audit).toMatchObject({ action: "config.layer.create", actorEmail: "alice@example.test", targetType: "layer", after: { name: "Site", kind: "team", description: "Our data centre" } });
  });

  test("names are unique regardless of case, and say which field is wrong", async () => {
    const dup = await appError(createLayer(prisma, alice, { name: "site" }));
    expect(dup.code).toBe("CONFLICT");
    expect(dup.fieldErrors).toEqual({ name: ["A layer named Site already exists."] });
    const reserved = await appError(createLayer(prisma, alice, { name: "vendor" }));
    expect(reserved.fieldErrors?.name).toEqual(["Vendor is the name of the layer Ferry ships; choose another name."]);
    const blank = await appError(createLayer(prisma, alice, { name: "  " }));
    expect(blank.fieldErrors?.name).toEqual(["Name is required."]);
    expect(await names()).toEqual(["Site", "Lab", "Vendor"]);
  });

  test("rename is audited with before and after", async () => {
    const lab = (await listLayers(prisma)).find((l) => l.name === "Lab")!;
    await updateLayer(prisma, alice, { layerId: lab.id, name: "Test lab", description: "bench machines" });
    expect(await names()).toEqual(["Site", "Test lab", "Vendor"]);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { targetId: lab.id, action: "config.layer.update" } });
    expect(audit.before).toEqual({ name: "Lab", description: "", repositoryId: null });
    expect(audit.after).toEqual({ name: "Test lab", description: "bench machines", repositoryId: null });
  });

  test("reorder: the whole list of team layers; the Vendor layer stays last", async () => {
    const [site, lab] = await listLayers(prisma);
    expect(await reorderLayers(prisma, alice, { layerIds: [lab!.id, site!.id] })).toEqual({ changed: true });
    expect(await names()).toEqual(["Test lab", "Site", "Vendor"]);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "config.layer.reorder" } });
    expect(audit.before).toEqual({ order: ["Site", "Test lab"] });
    expect(audit.after).toEqual({ order: ["Test lab", "Site"] });
    // A stale list (a layer missing) is refused and changes nothing.
    const stale = await appError(reorderLayers(prisma, alice, { layerIds: [site!.id] }));
    expect(stale.code).toBe("CONFLICT");
    expect(await names()).toEqual(["Test lab", "Site", "Vendor"]);
    // New layers still land just before the Vendor layer.
    await createLayer(prisma, alice, { name: "Branch" });
    expect(await names()).toEqual(["Test lab", "Site", "Branch", "Vendor"]);
    expect((await listLayers(prisma)).map((l) => l.position)).toEqual([1, 2, 3, 4]);
  });

  test("delete removes the layer and its revisions; the audit keeps its configuration", async () => {
    const branch = (await listLayers(prisma)).find((l) => l.name === "Branch")!;
    await deleteLayer(prisma, alice, { layerId: branch.id });
    expect(await names()).toEqual(["Test lab", "Site", "Vendor"]);
    expect(await prisma.configRevision.count({ where: { layerId: branch.id } })).toBe(0);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { targetId: branch.id, action: "config.layer.delete" } });
    expect(audit.before).toMatchObject({ name: "Branch", revision: 1, model: { profiles: [], apps: [] } });
    expect((await appError(getLayer(prisma, branch.id))).code).toBe("NOT_FOUND");
  });

  test("two layers created at once both get their own place", async () => {
    await Promise.all([createLayer(prisma, alice, { name: "East" }), createLayer(prisma, alice, { name: "West" })]);
    const list = await listLayers(prisma);
    expect(list.map((l) => l.position)).toEqual([1, 2, 3, 4, 5]);
    expect(list.at(-1)!.name).toBe("Vendor");
    expect(new Set(list.slice(2, 4).map((l) => l.name))).toEqual(new Set(["East", "West"]));
  });
});
