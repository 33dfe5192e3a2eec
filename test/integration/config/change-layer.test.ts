// Edits carry the revision they started from: of two saves from the same base one wins, the
// other is refused with a message naming who saved, and nothing of the loser is stored.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../../../server/db/client.ts";
import { changeLayer } from "../../../server/config/change-layer.ts";
import { createLayer } from "../../../server/config/create-layer.ts";
import { getLayer } from "../../../server/config/get-layer.ts";
import type { LayerApp } from "../../../server/config/layer-model.ts";
import { seedVendorLayer } from "../../../server/config/seed-vendor-layer.ts";
import { freshDatabase } from "../db.ts";
import { alice, appError, bob } from "./helpers.ts";

let prisma: Db;
let layerId: string;
beforeAll(async () => {
  ({ prisma } = await freshDatabase("config_change"));
  await seedVendorLayer(prisma);
  layerId = (await createLayer(prisma, alice, { name: "Site" })).id;
});
afterAll(async () => prisma?.$disconnect());

const app = (name: string, path: string): LayerApp => ({ name, os: "linux", distro: "rhel", major: "5", minor: undefined, arch: "x86_64", path, deps: [] });
const addApp = (a: LayerApp) => (m: Parameters<Parameters<typeof changeLayer>[2]["change"]>[0]) => ({ ...m, apps: [...m.apps, a] });

describe("changeLayer", () => {
  test("a save writes the next revision, moves the head and is audited", async () => {
    const result = await changeLayer(prisma, alice, { layerId, baseRevision: 1, summary: "Added app kernel", change: addApp(app("kernel", "rhel/5/kernel.rpm")) });
    expect(result).toMatchObject({ revision: 2, changed: true, summary: "Added app kernel", counts: { added: 1, changed: 0, removed: 0 } });
    const layer = await getLayer(prisma, layerId);
    expect(layer.revision).toBe(2);
    expect(layer.model.apps.map((a) => a.path)).toEqual(["rhel/5/kernel.rpm"]);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { targetId: layerId, action: "config.layer.change" } });
    expect(audit.before).toMatchObject({ layer: "Site", revision: 1 });
    expect(audit.after).toMatchObject({ layer: "Site", revision: 2, summary: "Added app kernel", apps: [{ name: "kernel", path: "rhel/5/kernel.rpm" }] });
  });

  test("two edits from the same base: the second is refused, names who won, and is not saved", async () => {
    await changeLayer(prisma, alice, { layerId, baseRevision: 2, summary: "alice's edit", change: addApp(app("lvm2", "alice.rpm")) });
    const before = { revisions: await prisma.configRevision.count(), audits: await prisma.auditEvent.count() };
    const refused = await appError(changeLayer(prisma, bob, { layerId, baseRevision: 2, summary: "bob's edit", change: addApp(app("lvm2", "bob.rpm")) }));
    expect(refused.code).toBe("CONFLICT");
    expect(refused.message).toBe(
      "This layer changed since you opened it (you edited revision 2; it is now at revision 3 by alice@example.test). Reload to see their change; your edit was not saved.",
    );
    const layer = await getLayer(prisma, layerId);
    expect(layer.revision).toBe(3);
    expect(layer.model.apps.map((a) => a.path)).toEqual(["rhel/5/kernel.rpm", "alice.rpm"]);
    expect(await prisma.configRevision.count()).toBe(before.revisions);
    expect(await prisma.auditEvent.count()).toBe(before.audits);
  });

  test("concurrent saves from the same base: exactly one wins", async () => {
    const results = await Promise.allSettled([
      changeLayer(prisma, alice, { layerId, baseRevision: 3, summary: "alice at once", change: addApp(app("a", "a.rpm")) }),
      changeLayer(prisma, bob, { layerId, baseRevision: 3, summary: "bob at once", change: addApp(app("b", "b.rpm")) }),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason.code).toBe("CONFLICT");
    expect(lost[0]!.reason.message).toMatch(/you edited revision 3; it is now at revision 4 by (alice|bob)@example\.test/);
    const layer = await getLayer(prisma, layerId);
    expect(layer.revision).toBe(4);
    const winner = (won[0] as PromiseFulfilledResult<{ summary: string }>).value.summary;
    expect(layer.model.apps.map((a) => a.path)).toEqual(["rhel/5/kernel.rpm", "alice.rpm", winner === "alice at once" ? "a.rpm" : "b.rpm"]);
    expect(await prisma.configRevision.count({ where: { layerId } })).toBe(4);
  });

  test("the Vendor layer is read-only", async () => {
    const vendor = await prisma.configLayer.findFirstOrThrow({ where: { kind: "vendor" } });
    const refused = await appError(changeLayer(prisma, alice, { layerId: vendor.id, baseRevision: vendor.headRevision, summary: "x", change: (m) => ({ ...m, apps: [] }) }));
    expect(refused.code).toBe("FORBIDDEN");
  });

  test("a model the core refuses is INVALID_INPUT naming the element and the field, and nothing is saved", async () => {
    const bad = await appError(
      changeLayer(prisma, alice, {
        layerId,
        baseRevision: 4,
        summary: "x",
        change: (m) => ({ ...m, capabilities: [{ name: "virtio", os: "linux", distro: "rhel", major: "5", minor: undefined, arch: undefined, deps: [{ name: "kernel", minversion: "1:2:3", ifinstalled: undefined }] }] }),
      }),
    );
    expect(bad.code).toBe("INVALID_INPUT");
    expect(bad.message).toBe(
      "Capability virtio (linux rhel 5): Unrecognised format for minversion in config: 1:2:3. minversion must be in the format [epoch:]version[-release].",
    );
    expect(bad.fieldErrors).toEqual({ "capabilities.0.minversion": ["Unrecognised format for minversion in config: 1:2:3. minversion must be in the format [epoch:]version[-release]."] });
    expect((await getLayer(prisma, layerId)).revision).toBe(4);
  });

  test("a save that changes nothing writes no revision", async () => {
    const result = await changeLayer(prisma, alice, { layerId, baseRevision: 4, summary: "nothing", change: (m) => m });
    expect(result).toMatchObject({ changed: false, revision: 4 });
    expect(await prisma.configRevision.count({ where: { layerId } })).toBe(4);
  });

  test("what is stored is what virt-v2v reads back: text is trimmed, and warnings are reported", async () => {
    const result = await changeLayer(prisma, alice, {
      layerId,
      baseRevision: 4,
      summary: "profile",
      change: (m) => ({ ...m, profiles: [{ name: "p", method: "  libvirt ", storage: undefined, networks: [] }] }),
    });
    expect(result.model.profiles[0]!.method).toBe("libvirt");
    expect(result.warnings).toEqual(["Profile p doesn't specify output storage."]);
  });
});
