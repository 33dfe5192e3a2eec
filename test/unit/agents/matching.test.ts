// Which conversions an agent can run, and the one sentence the console shows when none can.
import { describe, expect, test } from "vitest";
import type { AgentCapabilities } from "../../../server/agents/capabilities.ts";
import { assertRunnable, demandOf, unmetNeeds, whyUnclaimable } from "../../../server/agents/matching.ts";
import { TOOL_NAMES, TOOLS, type ToolName } from "../../../server/engine/tools.ts";

const now = new Date("2026-12-01T12:00:00Z");

function caps(missing: ToolName[] = [], libvirt: Partial<AgentCapabilities["libvirt"]> = {}): AgentCapabilities {
  return {
    tools: TOOL_NAMES.map((name) => (missing.includes(name) ? { name, package: TOOLS[name].package, found: false } : { name, package: TOOLS[name].package, found: true, version: "1.0" })),
    scratch: { dir: "/var/tmp", freeBytes: 10 ** 11 },
    concurrency: 1,
    libvirt: { uri: "qemu:///system", pools: [{ name: "default", active: true }], networks: ["default"], bridges: ["br0"], ...libvirt },
    nbdkitPlugins: ["ssh", "curl"],
    collectedAt: now.toISOString(),
  };
}

const agent = (name: string, c: AgentCapabilities | undefined, silentSeconds = 1) => ({ name, capabilities: c, lastHeartbeatAt: new Date(now.getTime() - silentSeconds * 1000), retiredAt: null });
const local = { request: { source: { method: "libvirtxml", file: "/g.xml" }, output: { method: "local", storage: "/out" } }, plan: null, dryRun: false };
const toPool = (pool: string) => ({ request: { source: { method: "libvirtxml" }, output: { method: "libvirt", storage: pool } }, plan: null, dryRun: false });

describe("demandOf", () => {
  test.each([
    ["-o local", local, ["qemu-img", "guestfish", "virt-v2v-in-place", "xorriso"], undefined],
    ["-o libvirt -os default", toPool("default"), ["qemu-img", "guestfish", "virt-v2v-in-place", "xorriso", "virsh"], "default"],
    // A dry run inspects with the transfer ISO attached, as a conversion does, and converts nothing.
    ["-i libvirt, dry run", { request: { source: { method: "libvirt" }, output: { method: "local" } }, plan: null, dryRun: true }, ["qemu-img", "guestfish", "xorriso", "virsh"], undefined],
  ])("%s", (_name, conversion, tools, pool) => {
    const d = demandOf(conversion);
    expect([...d.tools].sort()).toEqual([...tools].sort());
    expect(d.pool).toBe(pool);
  });

  test("the plan's output and NIC mappings win over the request", () => {
    const d = demandOf({
      request: { output: { method: "local" } },
      plan: { output: { method: "libvirt", storage: "images" }, nics: [{ to: { type: "network", name: "prod" } }, { to: { type: "bridge", name: "br1" } }, { to: { type: "network", name: "prod" } }] },
      dryRun: false,
    });
    expect(d).toMatchObject({ pool: "images", networks: ["prod"], bridges: ["br1"] });
    expect(unmetNeeds(caps(), d)).toEqual([{ kind: "pool", name: "images" }, { kind: "network", name: "prod" }, { kind: "bridge", name: "br1" }]);
  });
});

test("-o local and -o rhev need no pool, network or bridge on the agent host (the XML/OVF is for another host)", () => {
  for (const method of ["local", "rhev"]) {
    const d = demandOf({ request: {}, plan: { output: { method, storage: "/srv/out" }, nics: [{ to: { type: "bridge", name: "xenbr0" } }, { to: { type: "network", name: "prod" } }] }, dryRun: false });
    expect(d).toMatchObject({ pool: undefined, networks: [], bridges: [] });
    expect(unmetNeeds(caps(), d)).toEqual([]);
  }
});

describe("whyUnclaimable", () => {
  const why = (c: Parameters<typeof whyUnclaimable>[0], agents: Parameters<typeof whyUnclaimable>[1]) => whyUnclaimable(c, agents, { now, timeoutSeconds: 60 });

  test.each([
    ["an agent can run it", local, [agent("a", caps())], null],
    ["no agent at all", local, [], "No agent can run this conversion: no agent is connected"],
    ["the only agent is silent past the timeout", local, [agent("a", caps(), 61)], "No agent can run this conversion: no agent is connected"],
    ["a tool missing everywhere", local, [agent("a", caps(["virt-v2v-in-place"])), agent("b", caps(["virt-v2v-in-place", "xorriso"]))], "No agent can run this conversion: virt-v2v-in-place is missing on every agent (Debian package virt-v2v)"],
    [
      "two tools missing everywhere",
      toPool("default"),
      [agent("a", caps(["virsh", "xorriso"]))],
      "No agent can run this conversion: xorriso is missing on every agent (Debian package xorriso); virsh is missing on every agent (Debian package libvirt-clients)",
    ],
    ["a pool no agent has", toPool("fast"), [agent("a", caps()), agent("b", caps())], "No agent can run this conversion: no agent has the storage pool fast (Output pool fast is not a valid storage pool.)"],
    ["libvirt unreachable", toPool("default"), [agent("a", caps([], { pools: [], error: "libvirt at qemu:///system did not answer" }))], "No agent can run this conversion: libvirt is not reachable on any agent (libvirt at qemu:///system did not answer)"],
    [
      "each agent lacks something else",
      toPool("default"),
      [agent("a", caps(["virsh"])), agent("b", caps([], { pools: [{ name: "other" }] }))],
      "No agent can run this conversion: a: virsh is missing (Debian package libvirt-clients) / b: Output pool default is not a valid storage pool.",
    ],
    ["an agent that never reported capabilities", local, [agent("a", undefined)], "No agent can run this conversion: qemu-img is missing on every agent (Debian package qemu-utils); guestfish is missing on every agent (Debian package libguestfs-tools); xorriso is missing on every agent (Debian package xorriso); virt-v2v-in-place is missing on every agent (Debian package virt-v2v)"],
  ])("%s", (_name, conversion, agents, expected) => {
    expect(why(conversion, agents)).toBe(expected);
  });
});

describe("remote sources need nbdkit and its plugin", () => {
  const why = (c: Parameters<typeof whyUnclaimable>[0], agents: Parameters<typeof whyUnclaimable>[1]) => whyUnclaimable(c, agents, { now, timeoutSeconds: 60 });
  const remote = (uri: string) => ({ request: { source: { method: "libvirtxml", remote: { uri } }, output: { method: "local", storage: "/out" } }, plan: null, dryRun: true });
  const xenSsh = { request: { source: { method: "libvirt", uri: "xen+ssh://root@xen.example/", guest: "g" }, output: { method: "local" } }, plan: null, dryRun: true };
  const plugins = (list: string[]) => ({ ...caps(), nbdkitPlugins: list });

  test.each([
    ["ssh://", remote("ssh://root@host.example"), "ssh"],
    ["xen+ssh:// -ic", xenSsh, "ssh"],
    ["esx://", remote("esx://root@esx.example/"), "curl"],
  ])("%s: nbdkit and its %s plugin", (_name, conversion, plugin) => {
    const d = demandOf(conversion);
    expect(d.tools).toContain("nbdkit");
    expect(d.plugins).toEqual([plugin]);
  });

  test("a local source needs neither", () => {
    expect(demandOf(local)).toMatchObject({ plugins: [] });
    expect(demandOf(local).tools).not.toContain("nbdkit");
    expect(why(local, [agent("a", caps(["nbdkit"]))])).toBeNull();
  });

  test.each([
    ["nbdkit missing everywhere", remote("ssh://root@host.example"), [agent("a", caps(["nbdkit"]))], "No agent can run this conversion: nbdkit is missing on every agent (Debian package nbdkit)"],
    ["no agent loads the ssh plugin", remote("ssh://root@host.example"), [agent("a", plugins(["curl"])), agent("b", plugins([]))], "No agent can run this conversion: nbdkit's ssh plugin is missing on every agent (Debian package nbdkit)"],
    ["an agent older than the plugin report", xenSsh, [agent("a", { ...caps(), nbdkitPlugins: undefined })], "No agent can run this conversion: nbdkit's ssh plugin is missing on every agent (Debian package nbdkit)"],
    ["one agent lacks nbdkit, the other the curl plugin", remote("esx://esx.example/"), [agent("a", caps(["nbdkit"])), agent("b", plugins(["ssh"]))], "No agent can run this conversion: a: nbdkit is missing (Debian package nbdkit) / b: nbdkit's curl plugin is missing (Debian package nbdkit)"],
    ["an agent with the curl plugin runs an esx:// source", remote("esx://esx.example/"), [agent("a", caps(["nbdkit"])), agent("b", plugins(["curl"]))], null],
  ])("%s", (_name, conversion, agents, expected) => {
    expect(why(conversion, agents)).toBe(expected);
  });

  test("assertRunnable: a missing plugin is MISSING_TOOLS, before anything is read", () => {
    expect(() => assertRunnable(plugins(["curl"]), remote("ssh://root@host.example"))).toThrow(expect.objectContaining({ code: "MISSING_TOOLS", message: "nbdkit's ssh plugin is missing (Debian package nbdkit)" }));
  });
});

describe("assertRunnable", () => {
  test("a plan naming a pool the agent lacks is refused in virt-v2v's words, before any copy", () => {
    const plan = { output: { method: "libvirt", storage: "fast" }, nics: [] };
    expect(() => assertRunnable(caps(), { request: {}, plan, dryRun: false })).toThrow(expect.objectContaining({ code: "TARGET_INVALID", message: "Output pool fast is not a valid storage pool." }));
    expect(() => assertRunnable(caps(), { request: {}, plan: { ...plan, output: { method: "libvirt", storage: "default" } }, dryRun: false })).not.toThrow();
  });

  test("missing tools: MISSING_TOOLS naming each with its package", () => {
    expect(() => assertRunnable(caps(["xorriso"]), local)).toThrow(expect.objectContaining({ code: "MISSING_TOOLS", message: "xorriso is missing (Debian package xorriso)" }));
  });
});
