import { describe, expect, test } from "vitest";
import {
  NetworkConfigError,
  UsageError,
  createNetworkContext,
  mapNetwork,
  parseNetworkOptions,
  type NetworkOptions,
  type Nic,
  type Profile,
} from "../../../server/v2v/index.ts";
import { conf } from "./helpers.ts";

const XENBR0: Nic = { type: "bridge", name: "xenbr0" };
const XENBR1: Nic = { type: "bridge", name: "xenbr1" };
const VM_NETWORK: Nic = { type: "bridge", name: "VM Network" };
const NET_DEFAULT: Nic = { type: "network", name: "default" };

const SHIPPED = conf(`
  <profile name="rhev">
    <method>rhev</method><storage>nfs:/x</storage>
    <network type="default"><network type="network" name="rhevm"/></network>
    <network type="bridge" name="xenbr0"><network type="bridge" name="ovirtmgmt"/></network>
  </profile>
  <profile name="plain"><method>libvirt</method><storage>default</storage></profile>
  <network type="bridge" name="xenbr1"><network type="network" name="default"/></network>
  <network type="bridge" name="VM Network"><network type="network" name="lan"/></network>
`, "virt-v2v.conf");

const profile = (name: string): Profile => SHIPPED.profiles.find((p) => p.name === name) as Profile;

function map(nic: Nic, options: { profile?: Profile; cli?: NetworkOptions; files?: typeof SHIPPED[] } = {}) {
  return mapNetwork(createNetworkContext(options.files ?? [SHIPPED], options), nic);
}

describe("mapNetwork: search order", () => {
  test("a top-level mapping maps a bridge to a network", () => {
    expect(map(XENBR1)).toMatchObject({ to: NET_DEFAULT, rule: "config", file: "virt-v2v.conf", changed: true, warnings: [] });
  });

  test("the selected profile is searched before the files", () => {
    expect(map(XENBR0, { profile: profile("rhev") })).toMatchObject({ to: { type: "bridge", name: "ovirtmgmt" }, rule: "profile" });
  });

  test("a specific top-level mapping beats the profile's default", () => {
    expect(map(VM_NETWORK, { profile: profile("rhev") })).toMatchObject({ to: { type: "network", name: "lan" }, rule: "config" });
  });

  test("files are searched in order: the first file with a mapping wins", () => {
    const user = conf(`<network type="bridge" name="xenbr1"><network type="bridge" name="br-user"/></network>`, "user.conf");
    expect(map(XENBR1, { files: [user, SHIPPED] })).toMatchObject({ to: { type: "bridge", name: "br-user" }, file: "user.conf" });
    expect(map(XENBR1, { files: [SHIPPED, user] })).toMatchObject({ to: NET_DEFAULT, file: "virt-v2v.conf" });
  });

  test("the NIC type must match the mapping's type", () => {
    const result = map({ type: "network", name: "xenbr1" });
    expect(result.rule).toBe("unmapped");
  });

  test("nothing applies: the NIC is unchanged, with virt-v2v's warning", () => {
    expect(map(XENBR0)).toEqual({
      from: XENBR0,
      to: XENBR0,
      changed: false,
      rule: "unmapped",
      warnings: [
        "No mapping found for bridge interface xenbr0 in config file. The converted guest may not start until its network interface is updated.",
      ],
    });
  });
});

describe("mapNetwork: default mappings", () => {
  const withDefault = conf(`<network type="default"><network type="bridge" name="br-default"/></network>`, "d.conf");
  const secondDefault = conf(`<network type="default"><network type="network" name="other"/></network>`, "e.conf");

  test("the first file default applies to unmapped NICs", () => {
    expect(map(XENBR0, { files: [SHIPPED, withDefault, secondDefault] })).toMatchObject({
      to: { type: "bridge", name: "br-default" },
      rule: "default",
      defaultSource: "config",
      file: "d.conf",
    });
  });

  test("a specific mapping still beats the default", () => {
    expect(map(XENBR1, { files: [withDefault, SHIPPED] }).rule).toBe("config");
  });

  test("Perl --network NAME sends every unmapped NIC, bridges included, to network NAME", () => {
    const cli = { network: ["default"] };
    expect(map(XENBR0, { cli, files: [withDefault] })).toMatchObject({ to: NET_DEFAULT, rule: "default", defaultSource: "cli" });
    expect(map({ type: "network", name: "lan" }, { cli })).toMatchObject({ to: NET_DEFAULT });
  });

  test("Perl --bridge NAME sends networks to the bridge too (the type changes)", () => {
    expect(map({ type: "network", name: "lan" }, { cli: { bridge: ["br0"] } }).to).toEqual({ type: "bridge", name: "br0" });
  });

  test("a profile's default beats --network (virt-v2v applies the profile last)", () => {
    expect(map({ type: "bridge", name: "xenbr7" }, { profile: profile("rhev"), cli: { network: ["default"] } })).toMatchObject({
      to: { type: "network", name: "rhevm" },
      defaultSource: "profile",
    });
  });

  test("a profile without a default keeps --network", () => {
    expect(map(XENBR0, { profile: profile("plain"), cli: { network: ["default"] } }).defaultSource).toBe("cli");
  });

  test("a default without a mapping is fatal", () => {
    const broken = { ...withDefault, networks: [{ type: "default", name: undefined, target: undefined }] };
    expect(() => createNetworkContext([broken])).toThrow(NetworkConfigError);
    expect(() => createNetworkContext([broken])).toThrow(`Default network doesn't contain a mapping: <network type="default"/>.`);
  });

  test("a default whose mapping lacks a name is ignored with a warning", () => {
    const file = conf(`<network type="default"><network type="network"/></network>`);
    const ctx = createNetworkContext([file]);
    expect(ctx.warnings).toEqual([`Invalid network mapping: <network type="default"><network type="network"/></network>`]);
    expect(mapNetwork(ctx, XENBR0).rule).toBe("unmapped");
  });
});

describe("mapNetwork: broken specific mappings", () => {
  test("a mapping without type or name leaves the NIC unchanged, even with a default", () => {
    const file = conf(`
      <network type="default"><network type="network" name="default"/></network>
      <network type="bridge" name="xenbr0"><network name="x"/></network>`);
    expect(mapNetwork(createNetworkContext([file]), XENBR0)).toMatchObject({
      to: XENBR0,
      changed: false,
      rule: "invalid",
      warnings: [`Invalid network mapping in config: <network name="x"/>.`],
    });
  });

  test("an unknown target type is warned about but applied", () => {
    const file = conf(`<network type="bridge" name="xenbr0"><network type="direct" name="eth0"/></network>`);
    expect(mapNetwork(createNetworkContext([file]), XENBR0)).toMatchObject({
      to: { type: "direct", name: "eth0" },
      rule: "config",
      warnings: [`Unknown interface type direct in network mapping: <network type="direct" name="eth0"/>`],
    });
  });
});

describe("2.x in:out form", () => {
  test("maps one named source of that type and keeps the type", () => {
    const cli = { bridge: ["xenbr1:br-new"] };
    expect(map(XENBR1, { cli })).toMatchObject({ to: { type: "bridge", name: "br-new" }, rule: "cli-mapping" });
    expect(map({ type: "network", name: "xenbr1" }, { cli }).rule).toBe("unmapped");
  });

  test(":out and out: set a default for that type only", () => {
    for (const value of [":lan", "lan:"]) {
      const cli = { network: [value] };
      expect(map({ type: "network", name: "x" }, { cli })).toMatchObject({ to: { type: "network", name: "lan" }, rule: "cli-type-default" });
      expect(map(XENBR0, { cli }).rule).toBe("unmapped");
    }
  });

  test("command-line in:out beats the config file", () => {
    expect(map(XENBR1, { cli: { bridge: ["xenbr1:br9"] } }).to).toEqual({ type: "bridge", name: "br9" });
  });

  test.each<[NetworkOptions, string]>([
    [{ network: ["a", "b"] }, "--network may only be specified once"],
    [{ bridge: ["a", "b"] }, "--bridge may only be specified once"],
    [{ network: ["a"], bridge: ["b"] }, "--network and --bridge are mutually exclusive"],
    [{ network: [""] }, "invalid -n/--network parameter"],
    [{ bridge: [":"] }, "invalid -b/--bridge parameter"],
    [{ network: ["in:a", "in:b"] }, "duplicate -n/--network parameter.  Duplicate mappings specified for network in."],
    [{ bridge: [":a", "b:"] }, "duplicate -b/--bridge parameter.  Only one default mapping is allowed."],
  ])("%j is refused: %s", (options, message) => {
    expect(() => parseNetworkOptions(options)).toThrow(new UsageError(message));
  });
});
