// Profiles and network mappings across layers, marked used or shadowed, and checked against the
// core's own resolution (findProfile, createNetworkContext + mapNetwork).
import { describe, expect, test } from "vitest";
import { networkRows, profileRows } from "../../../components/explorer/stack-overview.ts";
import { createNetworkContext, findProfile, mapNetwork } from "../../../server/v2v/index.ts";
import { conf } from "../v2v/helpers.ts";

const lab = conf(
  `<profile name='rhev'><method>rhev</method><storage format='qcow2'>nfs:/lab</storage></profile>
   <profile name='local'><method>local</method><storage>/var/tmp</storage></profile>
   <profile name='local'><method>local</method><storage>/srv</storage></profile>
   <network type='bridge' name='xenbr1'><network type='network' name='lab'/></network>
   <network type='bridge' name='xenbr2'/>
   <network type='default'><network type='bridge' name='br-lab'/></network>`,
  "Lab",
);
const site = conf(
  `<profile name='rhev'><method>rhev</method><storage>nfs:/site</storage></profile>
   <profile name='nostore'><method>libvirt</method></profile>
   <network type='bridge' name='xenbr1'><network type='network' name='site'/></network>
   <network type='bridge' name='xenbr2'><network type='network' name='site2'/></network>
   <network type='default'><network type='network' name='default'/></network>`,
  "Site",
);
const files = [lab, site];
const layers = (pick: "profiles" | "networks") => files.map((f, i) => ({ layerId: `L${i}`, layerName: f.file, items: f[pick] as never[] }));

describe("stack overviews", () => {
  test("profiles: the first layer's wins, a same-layer duplicate is flagged, a profile without storage says virt-v2v refuses it", () => {
    const rows = profileRows(layers("profiles"));
    expect(rows.map((r) => [r.layerName, r.item.name, r.status, r.shadowedBy ?? null, r.problems])).toEqual([
      ["Lab", "rhev", "used", null, []],
      ["Lab", "local", "used", null, []],
      ["Lab", "local", "duplicate", "Lab", []],
      ["Site", "rhev", "shadowed", "Lab", []],
      ["Site", "nostore", "used", null, ["no storage: virt-v2v refuses the profile"]],
    ]);
    for (const r of rows.filter((r) => r.status === "used")) expect(findProfile(files, r.item.name!).file).toBe(r.layerName);
  });

  test("networks: the first mapping per NIC and the first default win; one without a target is ignored; the core agrees", () => {
    const rows = networkRows(layers("networks"));
    expect(rows.map((r) => [r.layerName, r.item.type, r.item.name ?? null, r.status, r.shadowedBy ?? null])).toEqual([
      ["Lab", "bridge", "xenbr1", "used", null],
      ["Lab", "bridge", "xenbr2", "ignored", null],
      ["Lab", "default", null, "used", null],
      ["Site", "bridge", "xenbr1", "shadowed", "Lab"],
      ["Site", "bridge", "xenbr2", "used", null],
      ["Site", "default", null, "shadowed", "Lab"],
    ]);
    const ctx = createNetworkContext(files);
    expect(ctx.default?.file).toBe("Lab");
    for (const r of rows.filter((r) => r.status === "used" && !r.isDefault)) {
      const mapped = mapNetwork(ctx, { type: r.item.type!, name: r.item.name! });
      expect([mapped.rule, mapped.file, mapped.to.name]).toEqual(["config", r.layerName, r.item.target!.name]);
    }
  });
});
