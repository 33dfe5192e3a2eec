// "Which rule wins?" over a real two-layer stack: layers are searched first to last, and a
// Site layer's less specific app beats the Vendor layer's more specific one.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../../../server/db/client.ts";
import { applyImport } from "../../../server/config/apply-import.ts";
import { createLayer } from "../../../server/config/create-layer.ts";
import { explainMatch, type DepNode } from "../../../server/config/explain-match.ts";
import { seedVendorLayer } from "../../../server/config/seed-vendor-layer.ts";
import { freshDatabase } from "../db.ts";
import { alice, appError, conf } from "./helpers.ts";

let prisma: Db;
let siteId: string;
beforeAll(async () => {
  ({ prisma } = await freshDatabase("config_explain"));
  await seedVendorLayer(prisma);
  siteId = (await createLayer(prisma, alice, { name: "Site" })).id;
  const text = conf(`
  <path-root>/srv/ferry/site</path-root>
  <app os="linux" distro="rhel" name="lvm2"><path>site/lvm2.rpm</path><dep>device-mapper</dep></app>
  <app os="linux" distro="rhel" name="device-mapper"><path>site/device-mapper.rpm</path><dep>lvm2</dep></app>
  <capability os="linux" distro="rhel" major="5" name="guest-agent"><dep name="qemu-guest-agent"/></capability>`);
  await applyImport(prisma, alice, { layerId: siteId, baseRevision: 1, text, fileName: "site.conf" });
});
afterAll(async () => prisma?.$disconnect());

const rhel5 = { os: "linux", distro: "rhel", major: "5", arch: "x86_64" };
const presence = async (layerId: string, path: string) => (layerId === siteId ? path === "site/lvm2.rpm" : null);

/** name <- layer (rung) [present], children indented. */
function render(nodes: DepNode[], depth = 0): string[] {
  return nodes.flatMap((n) => {
    const what = n.cycle ? "(cycle)" : n.app ? `<- ${n.app.layerName} rung ${n.app.rung} ${n.app.hostPath} present=${n.app.present}` : `!! ${n.problem}`;
    return [`${"  ".repeat(depth)}${n.name}${n.ifinstalled ? " (if installed)" : ""} ${what}`, ...render(n.children, depth + 1)];
  });
}

describe("explainMatch", () => {
  test("an app: the Site layer's less specific entry wins; the Vendor's more specific one is listed as shadowed", async () => {
    const result = await explainMatch(prisma, { kind: "app", name: "lvm2", ...rhel5 }, { presence });
    if (!result.found) throw new Error(result.message);
    expect(result.winner).toMatchObject({ layerName: "Site", layerPosition: 1, rung: 6, rungText: "distro only (any version)", index: 0 });
    expect(result.shadowed.map((s) => [s.layerName, s.rung, s.rungText])).toEqual([["Vendor", 3, "distro, major and arch (any minor)"]]);
    expect(result.app).toMatchObject({ path: "site/lvm2.rpm", hostPath: "/srv/ferry/site/site/lvm2.rpm", present: true });
    expect(result.search).toBe("os='linux' name='lvm2' distro='rhel' major='5' arch='x86_64'");
    expect(render(result.tree)).toEqual(["device-mapper <- Site rung 6 /srv/ferry/site/site/device-mapper.rpm present=false", "  lvm2 (cycle)"]);
  });

  test("a capability: the winner, and its dependency tree through both layers with each file's presence", async () => {
    const result = await explainMatch(prisma, { kind: "capability", name: "virtio", ...rhel5 }, { presence });
    if (!result.found) throw new Error(result.message);
    expect(result.winner).toMatchObject({ layerName: "Vendor", layerPosition: 2, rung: 4 });
    expect(result.search).toBe("os='linux' name='virtio' distro='rhel' major='5'");
    expect(render(result.tree)).toEqual([
      "kernel <- Vendor rung 3 /var/lib/virt-v2v/software/rhel/5/kernel-2.6.18-128.el5.x86_64.rpm present=null",
      "  ecryptfs-utils <- Vendor rung 3 /var/lib/virt-v2v/software/rhel/5/ecryptfs-utils-56-8.el5.x86_64.rpm present=null",
      "lvm2 <- Site rung 6 /srv/ferry/site/site/lvm2.rpm present=true",
      "  device-mapper <- Site rung 6 /srv/ferry/site/site/device-mapper.rpm present=false",
      "    lvm2 (cycle)",
      "selinux-policy-targeted (if installed) <- Vendor rung 4 /var/lib/virt-v2v/software/rhel/5/selinux-policy-targeted-2.4.6-203.el5.noarch.rpm present=null",
      "  selinux-policy <- Vendor rung 4 /var/lib/virt-v2v/software/rhel/5/selinux-policy-2.4.6-203.el5.noarch.rpm present=null",
    ]);
    const lvm2 = result.tree[1]!;
    expect(lvm2.minversion).toBe("2.02.40-6.el5");
    expect(lvm2.app!.shadowed.map((s) => [s.layerName, s.rung])).toEqual([["Vendor", 3]]);
    expect(result.tree[0]!.note).toMatch(/replaces a Xen kernel/);
  });

  test("a dependency no app satisfies shows the core's message in the tree", async () => {
    const result = await explainMatch(prisma, { kind: "capability", name: "guest-agent", ...rhel5 });
    if (!result.found) throw new Error(result.message);
    expect(render(result.tree)).toEqual(["qemu-guest-agent !! No app in config matches os='linux' name='qemu-guest-agent' distro='rhel' major='5' arch='x86_64'"]);
  });

  test("no match: the core's exact message", async () => {
    const result = await explainMatch(prisma, { kind: "app", name: "nothing", os: "linux", distro: "rhel", major: "5", minor: "", arch: "x86_64" });
    expect(result).toMatchObject({ found: false, message: "No app in config matches os='linux' name='nothing' distro='rhel' major='5' arch='x86_64'" });
    expect(result.layers.map((l) => l.name)).toEqual(["Site", "Vendor"]);
  });

  test("the query is validated by field", async () => {
    const bad = await appError(explainMatch(prisma, { kind: "app", name: "", os: "" }));
    expect(bad.fieldErrors).toEqual({ name: ["Name is required."], os: ["OS is required."] });
  });
});
