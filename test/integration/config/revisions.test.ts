// Every change is a revision: listed with who and when, shown as a diff, and an earlier one
// can be restored as a new revision (never by rewriting history).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../../../server/db/client.ts";
import { addElement } from "../../../server/config/add-element.ts";
import { createLayer } from "../../../server/config/create-layer.ts";
import { deleteElement } from "../../../server/config/delete-element.ts";
import { diffRevisions } from "../../../server/config/diff-revisions.ts";
import { getLayer } from "../../../server/config/get-layer.ts";
import { listRevisions } from "../../../server/config/list-revisions.ts";
import { moveElement } from "../../../server/config/move-element.ts";
import { restoreRevision } from "../../../server/config/restore-revision.ts";
import { updateElement } from "../../../server/config/update-element.ts";
import { freshDatabase } from "../db.ts";
import { alice, appError, bob } from "./helpers.ts";

let prisma: Db;
let layerId: string;
beforeAll(async () => {
  ({ prisma } = await freshDatabase("config_revisions"));
  layerId = (await createLayer(prisma, alice, { name: "Site" })).id;
  const base = { layerId, kind: "app" as const };
  await addElement(prisma, alice, { ...base, baseRevision: 1, element: { name: "kernel", os: "linux", distro: "rhel", major: "5", path: "rhel/5/kernel.rpm" } }); // 2
  await addElement(prisma, bob, { ...base, baseRevision: 2, element: { name: "lvm2", os: "linux", distro: "rhel", major: "5", path: "rhel/5/lvm2.rpm" } }); // 3
  await updateElement(prisma, bob, { ...base, baseRevision: 3, index: 0, element: { name: "kernel", os: "linux", distro: "rhel", major: "5", path: "rhel/5/kernel-new.rpm" } }); // 4
  await deleteElement(prisma, alice, { ...base, baseRevision: 4, index: 1 }); // 5
});
afterAll(async () => prisma?.$disconnect());

describe("revisions", () => {
  test("the history lists number, author, time and summary, newest first", async () => {
    const list = await listRevisions(prisma, layerId);
    expect(list.map((r) => [r.number, r.authorEmail, r.summary, r.isHead])).toEqual([
      [5, "alice@example.test", "Deleted app lvm2 (linux rhel 5)", true],
      [4, "bob@example.test", "Changed app kernel (linux rhel 5)", false],
      [3, "bob@example.test", "Added app lvm2 (linux rhel 5)", false],
      [2, "alice@example.test", "Added app kernel (linux rhel 5)", false],
      [1, "alice@example.test", "Created the layer", false],
    ]);
    expect(list[0]!.createdAt).toBeInstanceOf(Date);
    expect(list[0]!.restoredFrom).toBeNull();
  });

  test("a diff shows the change per element and as a unified text diff", async () => {
    const d = await diffRevisions(prisma, layerId, { from: 3, to: 4 });
    expect(d.diff.apps.changed).toEqual([
      expect.objectContaining({ label: "kernel (linux rhel 5)", before: expect.objectContaining({ path: "rhel/5/kernel.rpm" }), after: expect.objectContaining({ path: "rhel/5/kernel-new.rpm" }) }),
    ]);
    expect(d.text).toContain("--- Site revision 3\n+++ Site revision 4\n");
    expect(d.text).toContain("-    <path>rhel/5/kernel.rpm</path>\n+    <path>rhel/5/kernel-new.rpm</path>\n");
    // Without bounds: the head against the revision before it.
    const last = await diffRevisions(prisma, layerId);
    expect([last.from, last.to]).toEqual([4, 5]);
    expect(last.diff.apps.removed.map((r) => r.label)).toEqual(["lvm2 (linux rhel 5)"]);
  });

  test("restore puts an earlier configuration back as a new revision, and the diff shows it", async () => {
    const result = await restoreRevision(prisma, bob, { layerId, baseRevision: 5, number: 3 });
    expect(result).toMatchObject({ revision: 6, summary: "Restored revision 3 (1 added, 1 changed, 0 removed)" });
    const layer = await getLayer(prisma, layerId);
    expect(layer.model.apps.map((a) => a.path)).toEqual(["rhel/5/kernel.rpm", "rhel/5/lvm2.rpm"]);
    const [head] = await listRevisions(prisma, layerId);
    expect(head).toMatchObject({ number: 6, authorEmail: "bob@example.test", restoredFrom: 3 });
    const d = await diffRevisions(prisma, layerId, { from: 5, to: 6 });
    expect(d.diff.apps.added.map((a) => a.label)).toEqual(["lvm2 (linux rhel 5)"]);
    expect(d.diff.apps.changed.map((a) => a.after.path)).toEqual(["rhel/5/kernel.rpm"]);
    expect(d.text).toContain("+    <path>rhel/5/lvm2.rpm</path>");
    // Restoring the same again is nothing to do; the revisions 1-5 are all still there.
    expect((await diffRevisions(prisma, layerId, { from: 3, to: 6 })).diff.counts).toEqual({ added: 0, changed: 0, removed: 0, moved: 0 });
    expect(await prisma.configRevision.count({ where: { layerId } })).toBe(6);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { targetId: layerId, action: "config.revision.restore" } });
    expect(audit).toMatchObject({ actorEmail: "bob@example.test", after: { revision: 6, restoredFrom: 3 } });
  });

  test("restore from a stale base is refused like any edit", async () => {
    const refused = await appError(restoreRevision(prisma, alice, { layerId, baseRevision: 5, number: 2 }));
    expect(refused.message).toBe(
      "This layer changed since you opened it (you edited revision 5; it is now at revision 6 by bob@example.test). Reload to see their change; your edit was not saved.",
    );
    expect((await appError(restoreRevision(prisma, alice, { layerId, baseRevision: 6, number: 42 }))).code).toBe("NOT_FOUND");
  });

  test("a move shows in the diff as a move (order decides which element the ladder finds first)", async () => {
    await moveElement(prisma, alice, { layerId, kind: "app", baseRevision: 6, index: 1, direction: "up" });
    const d = await diffRevisions(prisma, layerId);
    expect(d.diff.counts).toEqual({ added: 0, changed: 0, removed: 0, moved: 1 });
    expect(d.diff.apps.moved.map((m) => [m.label, m.from, m.to])).toEqual([["lvm2 (linux rhel 5)", 1, 0]]);
  });
});
