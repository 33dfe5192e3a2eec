// Fault: two admins save the same profile at the same moment, both from the revision they
// opened. Exactly one save wins; the other is refused with a conflict naming who saved first
// and is not written; when the loser reloads and saves again, both changes are there: no
// update is lost.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { addElement } from "../../../server/config/add-element.ts";
import { createLayer } from "../../../server/config/create-layer.ts";
import { getLayer } from "../../../server/config/get-layer.ts";
import { updateElement } from "../../../server/config/update-element.ts";
import type { Db } from "../../../server/db/client.ts";
import { AppError } from "../../../server/errors.ts";
import { alice, bob } from "../config/helpers.ts";
import { freshDatabase } from "../db.ts";

let prisma: Db;
let layerId: string;
const prod = { name: "prod", method: "libvirt", location: "default", format: "raw", allocation: "sparse", networks: [] as { sourceType: string; sourceName: string; targetType: string; targetName: string }[] };

beforeAll(async () => {
  ({ prisma } = await freshDatabase("faults_profile_conflict"));
  layerId = (await createLayer(prisma, alice, { name: "Site" })).id;
  await addElement(prisma, alice, { layerId, baseRevision: 1, kind: "profile", element: prod });
});
afterAll(async () => prisma?.$disconnect());

describe("two admins editing one profile at once", () => {
  test("one wins, the other gets a conflict naming the winner; after a reload both edits stand", async () => {
    const base = (await getLayer(prisma, layerId)).revision;
    const aliceEdit = { ...prod, format: "qcow2" };
    const bobEdit = { ...prod, networks: [{ sourceType: "bridge", sourceName: "xenbr0", targetType: "network", targetName: "default" }] };
    const results = await Promise.allSettled([
      updateElement(prisma, alice, { layerId, baseRevision: base, kind: "profile", index: 0, element: aliceEdit }),
      updateElement(prisma, bob, { layerId, baseRevision: base, kind: "profile", index: 0, element: bobEdit }),
    ]);
    const won = results.findIndex((r) => r.status === "fulfilled");
    const lost = results.findIndex((r) => r.status === "rejected");
    expect([won, lost].sort()).toEqual([0, 1]);
    const [winner, loser] = won === 0 ? [alice, bob] : [bob, alice];
    const reason = (results[lost] as PromiseRejectedResult).reason as AppError;
    expect(reason).toBeInstanceOf(AppError);
    expect(reason.code).toBe("CONFLICT");
    expect(reason.message).toBe(`This layer changed since you opened it (you edited revision ${base}; it is now at revision ${base + 1} by ${winner.email}). Reload to see their change; your edit was not saved.`);

    const after = await getLayer(prisma, layerId);
    expect(after.revision).toBe(base + 1);
    const stored = after.model.profiles[0]!;
    if (winner === alice) expect(stored).toMatchObject({ storage: { format: "qcow2" }, networks: [] });
    else expect(stored).toMatchObject({ storage: { format: "raw" }, networks: [{ type: "bridge", name: "xenbr0" }] });

    // The loser reloads (the winner's profile) and makes their change on top of it.
    const reloaded = { ...prod, format: stored.storage?.format ?? "raw", networks: stored.networks.map((n) => ({ sourceType: n.type, sourceName: n.name, targetType: n.target?.type ?? "network", targetName: n.target?.name ?? "" })) };
    const again = loser === alice ? { ...reloaded, format: "qcow2" } : { ...reloaded, networks: bobEdit.networks };
    await updateElement(prisma, loser, { layerId, baseRevision: after.revision, kind: "profile", index: 0, element: again });
    const final = (await getLayer(prisma, layerId)).model.profiles[0]!;
    expect(final).toMatchObject({ name: "prod", storage: { location: "default", format: "qcow2" }, networks: [{ type: "bridge", name: "xenbr0", target: { type: "network", name: "default" } }] });
    const revisions = await prisma.configRevision.findMany({ where: { layerId }, orderBy: { number: "asc" }, select: { authorEmail: true } });
    expect(revisions.slice(-2).map((r) => r.authorEmail)).toEqual([winner.email, loser.email]);
  });
});
