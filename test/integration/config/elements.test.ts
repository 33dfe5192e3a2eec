// Element forms: each kind added, changed, moved and deleted from a base revision, with
// validation messages keyed by the form field at fault.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../../../server/db/client.ts";
import { addElement } from "../../../server/config/add-element.ts";
import { createLayer } from "../../../server/config/create-layer.ts";
import { deleteElement } from "../../../server/config/delete-element.ts";
import { getLayer } from "../../../server/config/get-layer.ts";
import { moveElement } from "../../../server/config/move-element.ts";
import { setPathRoot } from "../../../server/config/set-path-root.ts";
import { updateElement } from "../../../server/config/update-element.ts";
import { exportLayer } from "../../../server/config/export-layer.ts";
import { parseConfig } from "../../../server/v2v/index.ts";
import { freshDatabase } from "../db.ts";
import { alice, appError } from "./helpers.ts";

let prisma: Db;
let layerId: string;
beforeAll(async () => {
  ({ prisma } = await freshDatabase("config_elements"));
  layerId = (await createLayer(prisma, alice, { name: "Site" })).id;
});
afterAll(async () => prisma?.$disconnect());

const head = async () => (await getLayer(prisma, layerId)).revision;
const summaries = async () => (await prisma.configRevision.findMany({ where: { layerId }, orderBy: { number: "asc" } })).map((r) => r.summary);

describe("profiles", () => {
  test("add one with storage and network mappings", async () => {
    const result = await addElement(prisma, alice, {
      layerId,
      baseRevision: await head(),
      kind: "profile",
      element: {
        name: "prod",
        method: "rhev",
        location: "nfs.example.com:/export/v2v",
        format: "qcow2",
        allocation: "sparse",
        networks: [{ sourceType: "bridge", sourceName: "xenbr0", targetType: "network", targetName: "rhevm" }],
      },
    });
    expect(result.summary).toBe("Added profile prod");
    expect((await getLayer(prisma, layerId)).model.profiles).toEqual([
      { name: "prod", method: "rhev", storage: { location: "nfs.example.com:/export/v2v", format: "qcow2", allocation: "sparse" }, networks: [{ type: "bridge", name: "xenbr0", target: { type: "network", name: "rhevm" } }] },
    ]);
  });

  test("a wrong profile names each field at fault", async () => {
    const bad = await appError(
      addElement(prisma, alice, {
        layerId,
        baseRevision: await head(),
        kind: "profile",
        element: { name: "", method: "vmware", location: "pool", format: "vmdk", allocation: "thick", networks: [{ sourceType: "bridge", sourceName: "", targetType: "bridge", targetName: "br0" }] },
      }),
    );
    expect(bad.code).toBe("INVALID_INPUT");
    expect(bad.fieldErrors).toEqual({
      name: ["Name is required."],
      method: ["Method must be libvirt, local or rhev."],
      format: ["Format must be raw or qcow2."],
      allocation: ["Allocation must be sparse or preallocated."],
      "networks.0.sourceName": ["Source name is required: the name of the source bridge this mapping applies to."],
    });
    const storage = await appError(addElement(prisma, alice, { layerId, baseRevision: await head(), kind: "profile", element: { name: "x", method: "local", location: "relative/dir" } }));
    expect(storage.fieldErrors).toEqual({ location: ["Storage for local is a directory on the agent host, written as an absolute path."] });
    const dup = await appError(addElement(prisma, alice, { layerId, baseRevision: await head(), kind: "profile", element: { name: "prod", method: "libvirt", location: "default" } }));
    expect(dup.fieldErrors).toEqual({ name: ["This layer already has a profile named prod (profile #1)."] });
  });
});

describe("network mappings", () => {
  test("add, move up (first match wins) and delete", async () => {
    await addElement(prisma, alice, { layerId, baseRevision: await head(), kind: "network", element: { sourceType: "network", sourceName: "default", targetType: "bridge", targetName: "br0" } });
    await addElement(prisma, alice, { layerId, baseRevision: await head(), kind: "network", element: { sourceType: "default", targetType: "network", targetName: "ovirtmgmt" } });
    const moved = await moveElement(prisma, alice, { layerId, baseRevision: await head(), kind: "network", index: 1, direction: "up" });
    expect(moved.summary).toBe("Moved network mapping default up (to #1)");
    expect((await getLayer(prisma, layerId)).model.networks.map((n) => n.type)).toEqual(["default", "network"]);
    const top = await appError(moveElement(prisma, alice, { layerId, baseRevision: await head(), kind: "network", index: 0, direction: "up" }));
    expect(top.message).toBe("This network mapping is already first.");
    const second = await appError(addElement(prisma, alice, { layerId, baseRevision: await head(), kind: "network", element: { sourceType: "default", targetType: "bridge", targetName: "x" } }));
    expect(second.fieldErrors).toEqual({ sourceType: ["This layer already has a default mapping (network mapping #1); only the first one is used."] });
    const badTarget = await appError(addElement(prisma, alice, { layerId, baseRevision: await head(), kind: "network", element: { sourceType: "bridge", sourceName: "a", targetType: "vlan", targetName: "" } }));
    expect(badTarget.fieldErrors).toEqual({ targetType: ["Target type must be bridge or network."], targetName: ["Target name is required."] });
    await deleteElement(prisma, alice, { layerId, baseRevision: await head(), kind: "network", index: 0 });
    expect((await getLayer(prisma, layerId)).model.networks.map((n) => n.type)).toEqual(["network"]);
  });
});

describe("capabilities and apps", () => {
  test("a capability's deps: minversion checked with rpm's rules, in virt-v2v's words", async () => {
    const bad = await appError(
      addElement(prisma, alice, {
        layerId,
        baseRevision: await head(),
        kind: "capability",
        element: { name: "virtio", os: "linux", distro: "rhel", minor: "3", arch: "x86_64", deps: [{ name: "kernel", minversion: "2.6.18-128.el5" }, { name: "lvm2", minversion: "a:1" }, { name: "kernel" }] },
      }),
    );
    expect(bad.fieldErrors).toEqual({
      minor: ["Minor needs a major version too: no rung of the matching ladder matches an element with a minor but no major."],
      arch: ["Leave arch empty: capabilities are matched without an architecture, so a capability with an arch never matches."],
      "deps.1.minversion": ["Unrecognised format for minversion in config: a:1. minversion must be in the format [epoch:]version[-release]."],
      "deps.2.name": ["kernel is already a dependency of this capability (row 1)."],
    });
    const ok = await addElement(prisma, alice, {
      layerId,
      baseRevision: await head(),
      kind: "capability",
      element: { name: "virtio", os: "linux", distro: "rhel", major: "5", deps: [{ name: "kernel", minversion: "2.6.18-128.el5" }, { name: "selinux-policy-targeted", minversion: "2.4.6-203.el5", ifinstalled: "on" }] },
    });
    expect(ok.summary).toBe("Added capability virtio (linux rhel 5)");
    expect((await getLayer(prisma, layerId)).model.capabilities[0]!.deps).toEqual([
      { name: "kernel", minversion: "2.6.18-128.el5", ifinstalled: undefined },
      { name: "selinux-policy-targeted", minversion: "2.4.6-203.el5", ifinstalled: "yes" },
    ]);
  });

  test("apps: add, change (summary says what it was), duplicates refused, order kept", async () => {
    await addElement(prisma, alice, { layerId, baseRevision: await head(), kind: "app", element: { name: "kernel", os: "linux", distro: "rhel", major: "5", arch: "x86_64", path: "rhel/5/kernel-2.6.18-128.el5.x86_64.rpm", deps: "ecryptfs-utils, lvm2" } });
    await addElement(prisma, alice, { layerId, baseRevision: await head(), kind: "app", element: { name: "lvm2", os: "linux", distro: "rhel", major: "5", arch: "x86_64", path: "rhel/5/lvm2.rpm" } });
    const changed = await updateElement(prisma, alice, { layerId, baseRevision: await head(), kind: "app", index: 1, element: { name: "lvm2", os: "linux", distro: "rhel", major: "5", minor: "4", arch: "x86_64", path: "rhel/5/lvm2-2.02.rpm" } });
    expect(changed.summary).toBe("Changed app lvm2 (linux rhel 5.4 x86_64) (was lvm2 (linux rhel 5 x86_64))");
    const dup = await appError(addElement(prisma, alice, { layerId, baseRevision: await head(), kind: "app", element: { name: "kernel", os: "linux", distro: "rhel", major: "5", arch: "x86_64", path: "other.rpm" } }));
    expect(dup.fieldErrors).toEqual({ name: ["This layer already has an app with the same name, os, distro, major, minor and arch (app #1); the first one would always win."] });
    const bad = await appError(addElement(prisma, alice, { layerId, baseRevision: await head(), kind: "app", element: { name: "x", os: "linux", major: "five", path: "../../etc/shadow" } }));
    expect(bad.fieldErrors).toEqual({
      major: ["Major must be a whole number, such as 5."],
      path: ["Path must not contain '..': relative paths stay inside the layer's path-root (its software repository)."],
    });
    const missing = await appError(updateElement(prisma, alice, { layerId, baseRevision: await head(), kind: "app", index: 7, element: { name: "x", os: "linux", path: "x.rpm" } }));
    expect(missing).toMatchObject({ code: "NOT_FOUND", message: "There is no app #8 in this layer." });
    const apps = (await getLayer(prisma, layerId)).model.apps;
    expect(apps.map((a) => [a.name, a.path, a.deps])).toEqual([
      ["kernel", "rhel/5/kernel-2.6.18-128.el5.x86_64.rpm", ["ecryptfs-utils", "lvm2"]],
      ["lvm2", "rhel/5/lvm2-2.02.rpm", []],
    ]);
  });

  test("path-root: absolute, and what relative app paths resolve against in the export", async () => {
    const bad = await appError(setPathRoot(prisma, alice, { layerId, baseRevision: await head(), pathRoot: "software" }));
    expect(bad.fieldErrors).toEqual({ pathRoot: ["Path root is an absolute directory, such as /var/lib/virt-v2v/software."] });
    const ok = await setPathRoot(prisma, alice, { layerId, baseRevision: await head(), pathRoot: "/srv/ferry/site" });
    expect(ok.summary).toBe("Set path-root to /srv/ferry/site");
    expect(parseConfig(await exportLayer(prisma, layerId), "site.conf").pathRoot).toBe("/srv/ferry/site");
  });

  test("every edit is a revision with a one-line summary, and an edit from an old base is refused", async () => {
    expect(await summaries()).toEqual([
      "Created the layer",
      "Added profile prod",
      "Added network mapping network default",
      "Added network mapping default",
      "Moved network mapping default up (to #1)",
      "Deleted network mapping default",
      "Added capability virtio (linux rhel 5)",
      "Added app kernel (linux rhel 5 x86_64)",
      "Added app lvm2 (linux rhel 5 x86_64)",
      "Changed app lvm2 (linux rhel 5.4 x86_64) (was lvm2 (linux rhel 5 x86_64))",
      "Set path-root to /srv/ferry/site",
    ]);
    const stale = await appError(deleteElement(prisma, alice, { layerId, baseRevision: 3, kind: "app", index: 0 }));
    expect(stale.code).toBe("CONFLICT");
    expect((await getLayer(prisma, layerId)).model.apps).toHaveLength(2);
  });
});
