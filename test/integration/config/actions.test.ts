// The configuration actions as each role calls them (the session is stubbed; authorization,
// validation and the database are real): viewers and operators read and use the explorer,
// only admins change anything, and a refused call changes nothing.
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { Actor } from "../../../server/auth/actor.ts";
import type { TRole } from "../../../server/auth/roles.ts";
import type { Db } from "../../../server/db/client.ts";
import { seedVendorLayer } from "../../../server/config/seed-vendor-layer.ts";
import { freshDatabase } from "../db.ts";

const session = vi.hoisted(() => ({ role: null as TRole | null }));
vi.mock("next/headers", () => ({ headers: async () => new Headers() }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("../../../server/auth/actor.ts", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../../server/auth/actor.ts")>()),
  actorFromHeaders: async (): Promise<Actor | null> =>
    session.role && { id: `${session.role}-id`, name: session.role, email: `${session.role}@example.test`, role: session.role, sessionId: "s", ip: "10.1.1.1" },
}));

const actions = await import("../../../app/(console)/configuration/actions.ts");

let prisma: Db;
beforeAll(async () => {
  const fresh = await freshDatabase("config_actions");
  prisma = fresh.prisma;
  process.env.DATABASE_URL = fresh.url;
  await seedVendorLayer(prisma);
});
afterAll(async () => prisma?.$disconnect());

const form = (fields: Record<string, string | string[]>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) data.append(k, one);
  return data;
};
const initial = { ok: false };
const as = (role: TRole | null) => {
  session.role = role;
};

describe("configuration actions by role", () => {
  test("an admin creates a layer, adds an app and reads the result back through the explorer", async () => {
    as("admin");
    expect(await actions.createLayerAction(initial, form({ name: "Site", description: "ours" }))).toMatchObject({ ok: true, message: "Created the layer Site, searched before Vendor." });
    const site = await prisma.configLayer.findUniqueOrThrow({ where: { name: "Site" } });
    const saved = await actions.saveElementAction(
      initial,
      form({ layerId: site.id, baseRevision: "1", kind: "app", index: "", name: "lvm2", os: "linux", distro: "rhel", major: "", minor: "", arch: "", path: "site/lvm2.rpm", deps: "" }),
    );
    expect(saved).toMatchObject({ ok: true, revision: 2, message: "Saved as revision 2: Added app lvm2 (linux rhel)" });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { targetId: site.id, action: "config.layer.change" } });
    expect(audit).toMatchObject({ actorEmail: "admin@example.test", ip: "10.1.1.1" });
  });

  test("field errors come back under the form's own field names, rows included", async () => {
    as("admin");
    const site = await prisma.configLayer.findUniqueOrThrow({ where: { name: "Site" } });
    const result = await actions.saveElementAction(
      initial,
      form({ layerId: site.id, baseRevision: "2", kind: "capability", index: "", name: "virtio", os: "linux", "deps.0.name": "kernel", "deps.1.name": "", "deps.2.name": "lvm2", "deps.2.minversion": "1:2:3" }),
    );
    expect(result).toMatchObject({ ok: false, fieldErrors: { "deps.2.minversion": ["Unrecognised format for minversion in config: 1:2:3. minversion must be in the format [epoch:]version[-release]."] } });
    const stale = await actions.deleteElementAction(initial, form({ layerId: site.id, baseRevision: "1", kind: "app", index: "0" }));
    expect(stale).toMatchObject({ ok: false, message: expect.stringMatching(/^This layer changed since you opened it \(you edited revision 1; it is now at revision 2 by admin@example\.test\)/) });
  });

  test.each(["viewer", "operator"] as const)("a %s may use the explorer and compare revisions but change nothing", async (role) => {
    as(role);
    const site = await prisma.configLayer.findUniqueOrThrow({ where: { name: "Site" } });
    const explained = await actions.explainMatchAction(initial, form({ kind: "app", name: "lvm2", os: "linux", distro: "rhel", major: "5", arch: "x86_64" }));
    // The Site layer has no software repository yet, so its file shows as missing.
    expect(explained).toMatchObject({ ok: true, result: { found: true, winner: { layerName: "Site", rung: 6 }, app: { path: "site/lvm2.rpm", present: false } } });
    expect(await actions.diffRevisionsAction(site.id)).toMatchObject({ ok: true, diff: { from: 1, to: 2 } });

    const refused = `Your role (${role}) does not allow this (config:write).`;
    const before = { revisions: await prisma.configRevision.count(), layers: await prisma.configLayer.count(), audits: await prisma.auditEvent.count() };
    const calls = [
      actions.createLayerAction(initial, form({ name: "Mine" })),
      actions.updateLayerAction(initial, form({ layerId: site.id, name: "Renamed" })),
      actions.deleteLayerAction(initial, form({ layerId: site.id })),
      actions.reorderLayersAction(initial, form({ layerId: [site.id] })),
      actions.saveElementAction(initial, form({ layerId: site.id, baseRevision: "2", kind: "app", name: "x", os: "linux", path: "x.rpm" })),
      actions.deleteElementAction(initial, form({ layerId: site.id, baseRevision: "2", kind: "app", index: "0" })),
      actions.moveElementAction(initial, form({ layerId: site.id, baseRevision: "2", kind: "app", index: "0", direction: "down" })),
      actions.setPathRootAction(initial, form({ layerId: site.id, baseRevision: "2", pathRoot: "/x" })),
      actions.restoreRevisionAction(initial, form({ layerId: site.id, baseRevision: "2", number: "1" })),
      actions.previewImportAction(initial, form({ layerId: site.id, text: "<virt-v2v/>" })),
      actions.applyImportAction(initial, form({ layerId: site.id, baseRevision: "2", text: "<virt-v2v/>" })),
    ];
    for (const result of await Promise.all(calls)) expect(result).toEqual({ ok: false, message: refused });
    expect({ revisions: await prisma.configRevision.count(), layers: await prisma.configLayer.count(), audits: await prisma.auditEvent.count() }).toEqual(before);
  });

  test("without a session every action is refused, reads included", async () => {
    as(null);
    expect(await actions.explainMatchAction(initial, form({ kind: "app", name: "lvm2", os: "linux" }))).toEqual({ ok: false, message: "Sign in to continue." });
    expect(await actions.createLayerAction(initial, form({ name: "Mine" }))).toEqual({ ok: false, message: "Sign in to continue." });
  });

  test("import through the actions: preview writes nothing, apply writes one revision", async () => {
    as("admin");
    const site = await prisma.configLayer.findUniqueOrThrow({ where: { name: "Site" } });
    const text = "<virt-v2v><app os='linux' name='agent'><path>agent.rpm</path></app></virt-v2v>";
    const file = new File([text], "agent.conf");
    const data = form({ layerId: site.id });
    data.append("file", file);
    const preview = await actions.previewImportAction(initial, data);
    expect(preview).toMatchObject({ ok: true, preview: { fileName: "agent.conf", baseRevision: 2, diff: { counts: { added: 1, removed: 1 } } } });
    const applyData = form({ layerId: site.id, baseRevision: "2" });
    applyData.append("file", file);
    expect(await actions.applyImportAction(initial, applyData)).toMatchObject({ ok: true, revision: 3, message: "Saved as revision 3: Imported agent.conf: 1 added, 0 changed, 1 removed" });
  });
});
