import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import {
  IN_PLACE_STAGES,
  describeDrivers,
  driversFromMessages,
  guestcapsFromDebug,
  inPlaceDomainXml,
  parseMachineReadableLine,
  type V2vMessage,
} from "../../../server/engine/convert.ts";
import { failureFromOutput, installCommands, installScript } from "../../../server/engine/install.ts";
import type { SoftwarePlan } from "../../../server/v2v/index.ts";

const output = readFileSync(new URL("../../fixtures/engine/virt-v2v-in-place-rhel54.out", import.meta.url), "utf8");

describe("virt-v2v-in-place's machine-readable output", () => {
  const messages = output.split("\n").map(parseMachineReadableLine).filter((m): m is V2vMessage => m !== undefined);

  test("JSON lines become messages; the human duplicates are skipped", () => {
    expect(messages).toHaveLength(12);
    expect(messages[0]).toEqual({ type: "message", message: "Setting up the source: -i libvirtxml conv.xml" });
    expect(messages.filter((m) => m.type === "info").map((m) => m.message)).toEqual([
      "The QEMU Guest Agent will be installed for this guest at first boot.",
      "This guest has virtio drivers installed.",
    ]);
    expect(parseMachineReadableLine("[   1.1] Opening the source")).toBeUndefined();
    expect(parseMachineReadableLine("{ not json")).toBeUndefined();
  });

  test("every stage it announces is a known progress step, in order", () => {
    const steps = messages.filter((m) => m.type === "message").map((m) => IN_PLACE_STAGES.findIndex((s) => m.message.startsWith(s)));
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(steps).not.toContain(-1);
  });

  test("drivers: from the debug guest capabilities, else from the summary line", () => {
    expect(guestcapsFromDebug("x\ngcaps_block_bus = virtio-blk\ngcaps_net_bus = virtio-net\ngcaps_acpi = true\n")).toEqual({ block: "virtio-blk", net: "virtio-net" });
    expect(driversFromMessages(messages)).toEqual({ block: "virtio-blk", net: "virtio-net" });
    expect(driversFromMessages([{ type: "info", message: "This guest does not have virtio drivers installed." }])).toEqual({ block: "ide", net: "e1000" });
    expect(describeDrivers({ block: "ide", net: "e1000" })).toBe(
      "Drivers: block ide (no virtio block driver in the guest: IDE fallback), network e1000 (no virtio network driver in the guest: e1000 fallback)",
    );
  });
});

describe("the in-place input XML", () => {
  test("the copied disks under the source's device names; unknown names are IDE", () => {
    const xml = inPlaceDomainXml({
      guestName: "a&b",
      disks: [
        { path: "/v/a'.qcow2", format: "qcow2", dev: "xvda" },
        { path: "/v/b.raw", format: "raw" },
      ],
    });
    expect(xml).toContain("<name>a&amp;b</name>");
    expect(xml).toContain(`<source file="/v/a'.qcow2"/>`);
    expect(xml).toContain('<target dev="xvda" bus="xen"/>');
    expect(xml).toContain('<driver name="qemu" type="qcow2"/>');
    expect(xml).toContain('<target dev="hdb" bus="ide"/>');
  });
});

const plan = (files: { path: string; kernel: boolean; missing?: boolean }[]): SoftwarePlan => ({
  capability: { name: "virtio", file: "site.conf", rung: 1 as SoftwarePlan["capability"]["rung"] },
  satisfied: false,
  install: [],
  upgrade: [],
  kernel: null,
  files: files.map((f) => ({ app: "x", arch: "x86_64", path: f.path, hostPath: `/repo/${f.path}`, file: "site.conf", rung: 1 as SoftwarePlan["capability"]["rung"], kernel: f.kernel, missing: f.missing ?? false })),
  missing: [],
  skipped: [],
});

describe("the install commands", () => {
  test("non-kernel files with one rpm -U, the kernel with rpm -i, after them", () => {
    const p = plan([
      { path: "rhel/5/kernel-2.6.18-164.el5.x86_64.rpm", kernel: true },
      { path: "rhel/5/lvm2-2.02.40-6.el5.x86_64.rpm", kernel: false },
      { path: "rhel/5/device-mapper-1.02.28-2.el5.x86_64.rpm", kernel: false },
    ]);
    const cmds = installCommands(p);
    expect(cmds).toEqual({
      upgrade: ["rhel/5/lvm2-2.02.40-6.el5.x86_64.rpm", "rhel/5/device-mapper-1.02.28-2.el5.x86_64.rpm"],
      kernel: ["rhel/5/kernel-2.6.18-164.el5.x86_64.rpm"],
    });
    const script = installScript("/tmp/t", cmds);
    expect(script).not.toContain("\n");
    expect(script).toContain("mount -r -L __virt-v2v_transfer__ '/tmp/t'");
    expect(script.indexOf("rpm -U '/tmp/t/rhel/5/lvm2")).toBeLessThan(script.indexOf("rpm -i '/tmp/t/rhel/5/kernel"));
    expect(script).toMatch(/umount '\/tmp\/t'; exit \$s$/);
  });

  test("a failure's step and rpm output, without virt-customize's wrapping", () => {
    const out = [
      "[   0.0] Examining the guest ...",
      "[  43.5] Running: mount ...",
      "@@ferry-step mount the transfer ISO",
      "@@ferry-step rpm -U rhel/5/lvm2.rpm",
      "error: /tmp/t/rhel/5/lvm2.rpm: not an rpm package (or package manifest)",
      "virt-customize: error: mount ...: command exited with an error",
      "",
      "If reporting bugs, run virt-customize with debugging enabled and include the complete output:",
    ].join("\n");
    expect(failureFromOutput(out)).toEqual({ step: "rpm -U rhel/5/lvm2.rpm", output: "error: /tmp/t/rhel/5/lvm2.rpm: not an rpm package (or package manifest)" });
  });
});
