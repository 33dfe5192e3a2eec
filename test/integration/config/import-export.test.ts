// Import a virt-v2v.conf into a layer: preview first (nothing written), then apply as one
// revision; export gives a file that re-imports to the same model.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../../../server/db/client.ts";
import { applyImport } from "../../../server/config/apply-import.ts";
import { createLayer } from "../../../server/config/create-layer.ts";
import { exportLayer } from "../../../server/config/export-layer.ts";
import { exportStack } from "../../../server/config/export-stack.ts";
import { getLayer } from "../../../server/config/get-layer.ts";
import { toLayerModel } from "../../../server/config/layer-model.ts";
import { previewImport } from "../../../server/config/preview-import.ts";
import { seedVendorLayer } from "../../../server/config/seed-vendor-layer.ts";
import { parseConfig } from "../../../server/v2v/index.ts";
import { freshDatabase } from "../db.ts";
import { alice, appError, bob } from "./helpers.ts";

const SITE = readFileSync(new URL("./site.conf", import.meta.url), "utf8");

let prisma: Db;
let layerId: string;
beforeAll(async () => {
  ({ prisma } = await freshDatabase("config_import"));
  await seedVendorLayer(prisma);
  layerId = (await createLayer(prisma, alice, { name: "Site" })).id;
});
afterAll(async () => prisma?.$disconnect());

const labels = (list: { label: string }[]) => list.map((e) => e.label);

describe("import", () => {
  test("preview lists what would be added, per kind, and writes nothing", async () => {
    const revisions = await prisma.configRevision.count();
    const preview = await previewImport(prisma, layerId, SITE, "site.conf");
    expect(preview).toMatchObject({ layerName: "Site", fileName: "site.conf", baseRevision: 1, warnings: [] });
    expect(labels(preview.diff.profiles.added)).toEqual(["rhev-prod", "lab"]);
    expect(labels(preview.diff.networks.added)).toEqual(["bridge xenbr1", "default"]);
    expect(labels(preview.diff.capabilities.added)).toEqual(["virtio (linux rhel 5)"]);
    expect(labels(preview.diff.apps.added)).toEqual([
      "kernel (linux rhel 5 x86_64)",
      "ecryptfs-utils (linux rhel 5 x86_64)",
      "lvm2 (linux rhel 5 x86_64)",
      "device-mapper (linux rhel)",
      "virtio (windows 6)",
    ]);
    expect(preview.diff.settings).toEqual([{ field: "pathRoot", before: undefined, after: "/var/lib/virt-v2v/software" }]);
    expect(preview.diff.counts).toEqual({ added: 10, changed: 1, removed: 0, moved: 0 });
    expect(await prisma.configRevision.count()).toBe(revisions);
  });

  test("apply writes one revision with a summary a person reads", async () => {
    const result = await applyImport(prisma, alice, { layerId, baseRevision: 1, text: SITE, fileName: "site.conf" });
    expect(result).toMatchObject({ revision: 2, summary: "Imported site.conf: 10 added, 1 changed, 0 removed" });
    const layer = await getLayer(prisma, layerId);
    expect(layer.model).toEqual(toLayerModel(parseConfig(SITE, "site.conf")));
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { targetId: layerId, action: "config.layer.import" } });
    expect(audit.after).toMatchObject({ revision: 2, summary: "Imported site.conf: 10 added, 1 changed, 0 removed" });
  });

  test("a changed file previews as added, changed and removed, identified by name / source / match key", async () => {
    const edited = SITE.replace('<profile name="lab">\n    <method>libvirt</method>', '<profile name="lab">\n    <method>local</method>')
      .replace(/<app os="linux" distro="rhel" name="device-mapper">[\s\S]*?<\/app>/, "")
      .replace("</virt-v2v>", '<app os="linux" distro="rhel" major="6" name="kernel"><path>rhel/6/kernel.rpm</path></app>\n</virt-v2v>');
    const preview = await previewImport(prisma, layerId, edited, "site-v2.conf");
    expect(preview.baseRevision).toBe(2);
    expect(labels(preview.diff.profiles.changed)).toEqual(["lab"]);
    expect(preview.diff.profiles.changed[0]!.before.method).toBe("libvirt");
    expect(preview.diff.profiles.changed[0]!.after.method).toBe("local");
    expect(labels(preview.diff.apps.removed)).toEqual(["device-mapper (linux rhel)"]);
    expect(labels(preview.diff.apps.added)).toEqual(["kernel (linux rhel 6)"]);
    expect(preview.diff.counts).toEqual({ added: 1, changed: 1, removed: 1, moved: 0 });
    // Someone edits between preview and apply: the import is refused, nothing half-written.
    await applyImport(prisma, bob, { layerId, baseRevision: 2, text: SITE.replace("xenbr1", "xenbr9"), fileName: "bob.conf" });
    const refused = await appError(applyImport(prisma, alice, { layerId, baseRevision: preview.baseRevision, text: edited, fileName: "site-v2.conf" }));
    expect(refused.message).toMatch(/^This layer changed since you opened it \(you edited revision 2; it is now at revision 3 by bob@example\.test\)/);
    expect((await getLayer(prisma, layerId)).model.networks[0]!.name).toBe("xenbr9");
  });

  test("a broken file is refused with every error at file:line:col, and nothing is written", async () => {
    const broken = SITE.replace('minversion="2.02.40-6.el5"', 'minversion="1:2:3"').replace("<path>windows/virtio-win</path>", "");
    const err = await appError(previewImport(prisma, layerId, broken, "broken.conf"));
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.fieldErrors?.text).toEqual([
      "broken.conf:27:22: Unrecognised format for minversion in config: 1:2:3. minversion must be in the format [epoch:]version[-release].",
      "broken.conf:46:3: app entry in config doesn't contain a path: <app os=\"windows\" major=\"6\" name=\"virtio\">",
    ]);
    expect(err.message.split("\n")[0]).toBe("broken.conf cannot be imported:");
    expect((await appError(applyImport(prisma, alice, { layerId, baseRevision: 3, text: broken, fileName: "broken.conf" }))).code).toBe("INVALID_INPUT");
    expect((await getLayer(prisma, layerId)).revision).toBe(3);
  });

  test("the core's warnings come with the preview, placed in the imported file", async () => {
    const preview = await previewImport(prisma, layerId, SITE.replace('<capability os="linux"', '<capability arch="x86_64" os="linux"'), "warn.conf");
    expect(preview.warnings).toEqual([
      { file: "warn.conf", line: 25, column: 15, message: "capabilities are matched without an architecture, so a <capability> with an arch attribute never matches" },
    ]);
  });

  test("the Vendor layer takes no imports", async () => {
    const vendor = await prisma.configLayer.findFirstOrThrow({ where: { kind: "vendor" } });
    expect((await appError(previewImport(prisma, vendor.id, SITE, "site.conf"))).code).toBe("FORBIDDEN");
  });
});

describe("export", () => {
  test("an unchanged import exports the same model back", async () => {
    const other = await createLayer(prisma, alice, { name: "Round trip" });
    await applyImport(prisma, alice, { layerId: other.id, baseRevision: 1, text: SITE, fileName: "site.conf" });
    const exported = await exportLayer(prisma, other.id);
    expect(exported).toContain('<!-- Ferry configuration layer "Round trip", revision 2. -->');
    expect(toLayerModel(parseConfig(exported, "export.conf"))).toEqual(toLayerModel(parseConfig(SITE, "site.conf")));
    // And importing the export again changes nothing.
    const again = await previewImport(prisma, other.id, exported, "round-trip.conf");
    expect(again.diff.counts).toEqual({ added: 0, changed: 0, removed: 0, moved: 0 });
    const applied = await applyImport(prisma, alice, { layerId: other.id, baseRevision: 2, text: exported, fileName: "round-trip.conf" });
    expect(applied).toMatchObject({ changed: false, revision: 2 });
  });

  test("the whole stack, in search order, as files virt-v2v accepts", async () => {
    const files = await exportStack(prisma);
    expect(files.map((f) => f.fileName)).toEqual(["01-site.conf", "02-round-trip.conf", "03-vendor.conf"]);
    for (const f of files) expect(() => parseConfig(f.text, f.fileName)).not.toThrow();
    expect(files[2]!.text).toContain("searched 3rd of 3");
    const vendor = parseConfig(files[2]!.text, "03-vendor.conf");
    const shipped = parseConfig(readFileSync(new URL("../../../server/v2v/vendor/virt-v2v.db.xml", import.meta.url), "utf8"), "x");
    expect(toLayerModel(vendor)).toEqual(toLayerModel(shipped));
  });
});
