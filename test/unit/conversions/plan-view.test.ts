// The plan view as the operator reads it, rendered on the server from a realistic plan (a RHEL
// 5 Xen PV guest going to a libvirt pool): NIC mappings with their rule and layer, disk sizes,
// the drivers decision, packages and files with their presence, the output XML, warnings.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, test } from "vitest";
import { readablePlan } from "../../../components/conversions/plan-shape.ts";
import { PlanView } from "../../../components/conversions/plan-view.tsx";
import type { ConversionPlan } from "../../../server/v2v/conversion-plan.ts";

const domainXml = `<domain type='kvm'>
  <name>XenGuest1</name>
  <memory unit='KiB'>592896</memory>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/images/XenGuest1-sda'/><target dev='vda' bus='virtio'/></disk>
    <interface type='bridge'><mac address='00:16:3e:66:94:9c'/><source bridge='br0'/><model type='virtio'/></interface>
  </devices>
</domain>`;

function plan(over: Partial<ConversionPlan> = {}): ConversionPlan {
  return {
    version: 1,
    guest: {
      name: "XenGuest1",
      sourceType: "xen",
      memoryKiB: 592896,
      vcpus: 1,
      arch: "x86_64",
      facts: { os: "linux", distro: "rhel", major: "5", minor: "4", arch: "x86_64", kernel: { name: "kernel-xen", epoch: null, version: "2.6.18", release: "164.el5", arch: "x86_64", xen: true }, packages: [], memoryKiB: 592896, vcpus: 1 },
    },
    output: { method: "libvirt", uri: "qemu:///system", storage: "default", format: "qcow2", allocation: "sparse", profile: { name: "rhel-pool", file: "Site" } },
    disks: [
      {
        index: 0,
        source: { path: "/dev/HostVG/XenGuest1", target: "xvda", bus: "xen", format: "raw", virtualSize: 8 * 1024 ** 3 },
        name: "XenGuest1-sda",
        targetPath: "/var/lib/libvirt/images/XenGuest1-sda",
        targetDev: "vda",
        bus: "virtio",
        format: "qcow2",
        allocation: "sparse",
      },
      {
        index: 1,
        source: { path: "/var/lib/xen/images/data.img", target: "xvdb", bus: "xen", format: "raw", virtualSize: 512 * 1024 ** 2 },
        name: "XenGuest1-sdb",
        targetPath: "/var/lib/libvirt/images/XenGuest1-sdb",
        targetDev: "vdb",
        bus: "virtio",
        format: "qcow2",
        allocation: "sparse",
      },
    ],
    nics: [
      { mac: "00:16:3e:66:94:9c", from: { type: "bridge", name: "xenbr0" }, to: { type: "bridge", name: "br0" }, rule: "profile", file: "Site", model: "virtio" },
      { mac: "00:16:3e:00:00:02", from: { type: "network", name: "private" }, to: { type: "network", name: "default" }, rule: "default", defaultSource: "config", file: "Vendor", model: "virtio" },
      { mac: "00:16:3e:00:00:03", from: { type: "bridge", name: "dmz" }, to: { type: "bridge", name: "dmz" }, rule: "unmapped", model: "virtio" },
    ],
    drivers: { block: "virtio", net: "virtio", reason: "the virtio capability is satisfied once kernel 2.6.18-164.el5 is installed" },
    software: {
      capability: { name: "virtio", file: "Vendor", rung: 3 },
      satisfied: false,
      install: ["kernel"],
      upgrade: ["lvm2"],
      kernel: { name: "kernel", arch: "x86_64", epoch: null, version: "2.6.18", release: "164.el5", replaces: "kernel-xen" },
      files: [
        { app: "kernel", arch: "x86_64", path: "rhel/5/kernel-2.6.18-164.el5.x86_64.rpm", hostPath: "/srv/ferry/rhel/5/kernel-2.6.18-164.el5.x86_64.rpm", file: "Site", rung: 3, kernel: true, missing: false },
        { app: "lvm2", arch: "x86_64", path: "rhel/5/lvm2-2.02.40-6.el5.x86_64.rpm", hostPath: "/srv/ferry/rhel/5/lvm2-2.02.40-6.el5.x86_64.rpm", file: "Site", rung: 3, kernel: false, missing: true },
      ],
      missing: ["rhel/5/lvm2-2.02.40-6.el5.x86_64.rpm"],
      skipped: ["ecryptfs-utils"],
    },
    transferIso: { entries: [], skipped: [], conflicts: [] },
    domainXml,
    config: [{ file: "Site", revision: 4 }, { file: "Vendor", revision: 1 }],
    warnings: ["Target volume XenGuest1-sdb already exists: it is reused, not overwritten."],
    ...over,
  };
}

/** The page's text, tags dropped, whitespace squeezed: what a reader sees. */
const textOf = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#x27;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/\s+/g, " ");
const rows = (html: string, caption: string) => {
  const table = html.split(`<caption class="sr-only">${caption}</caption>`)[1]!.split("</table>")[0]!;
  return table.split("<tr").slice(2).map((r) => textOf(`<tr${r}`).trim());
};

describe("the plan view", () => {
  const html = renderToStaticMarkup(createElement(PlanView, { plan: plan() }));
  const text = textOf(html);

  test("each NIC: old -> new with the rule and layer that decided it", () => {
    expect(rows(html, "Network interface mappings")).toEqual([
      "00:16:3e:66:94:9c bridge xenbr0 → bridge br0 virtio the profile's mapping in Site",
      "00:16:3e:00:00:02 network private → network default virtio default mapping in Vendor",
      "00:16:3e:00:00:03 bridge dmz → bridge dmz unchanged virtio no mapping applies: left unchanged",
    ]);
  });

  test("each disk with its size in human units, its target path, device, format and allocation", () => {
    expect(text).toContain("Disks (2, 8.50 GiB)");
    expect(rows(html, "Disk copies")).toEqual([
      "/dev/HostVG/XenGuest1 xvda on xen, raw 8.00 GiB → /var/lib/libvirt/images/XenGuest1-sda vda (virtio) qcow2, sparse",
      "/var/lib/xen/images/data.img xvdb on xen, raw 512 MiB → /var/lib/libvirt/images/XenGuest1-sdb vdb (virtio) qcow2, sparse",
    ]);
  });

  test("the guest, the output options, the profile and the configuration revisions", () => {
    expect(text).toContain("XenGuest1 (xen, x86_64, 1 vCPU, 579 MiB)");
    expect(text).toContain("linux rhel 5.4 · kernel 2.6.18-164.el5 (Xen)");
    expect(text).toContain("-o libvirt -oc qemu:///system -os default -of qcow2 -oa sparse");
    expect(text).toContain("rhel-pool from Site");
    expect(text).toContain("Site r4, Vendor r1");
  });

  test("drivers with the reason, packages to install and upgrade, and each file's presence", () => {
    expect(text).toContain("Block virtio , network virtio : the virtio capability is satisfied once kernel 2.6.18-164.el5 is installed");
    expect(text).toContain("Install: kernel");
    expect(text).toContain("Upgrade: lvm2");
    expect(text).toContain("Kernel: kernel-2.6.18-164.el5.x86_64 replaces kernel-xen");
    expect(text).toContain("Not installed (the guest does not have them): ecryptfs-utils");
    expect(rows(html, "Files the software plan installs")).toEqual([
      "kernel .x86_64 kernel rhel/5/kernel-2.6.18-164.el5.x86_64.rpm present",
      "lvm2 .x86_64 rhel/5/lvm2-2.02.40-6.el5.x86_64.rpm missing",
    ]);
    expect(text).toContain("Files missing on the host rhel/5/lvm2-2.02.40-6.el5.x86_64.rpm: the conversion fails before copying until they are uploaded.");
  });

  test("the output domain XML in a code block with a copy button, and the warnings", () => {
    expect(text).toContain("Output domain XML");
    expect(html).toContain("&lt;source bridge=&#x27;br0&#x27;/&gt;");
    expect(textOf(html.split("<code>")[1]!.split("</code>")[0]!)).toBe(domainXml.replace(/\s+/g, " "));
    expect(html).toContain('aria-label="Copy the output domain xml"');
    expect(text).toContain("1 warning Target volume XenGuest1-sdb already exists: it is reused, not overwritten.");
  });

  test("a RHEV plan shows the OVF; the IDE/e1000 fallback says so", () => {
    const rhev = renderToStaticMarkup(
      createElement(PlanView, {
        plan: plan({ domainXml: undefined, ovf: { vmId: "3c1d5f5e-0000-4000-8000-000000000001", xml: "<ovf:Envelope/>" }, drivers: { block: "ide", net: "e1000", reason: "no virtio capability matches this guest" }, software: null, warnings: [] }),
      }),
    );
    const t = textOf(rhev);
    expect(t).toContain("Output OVF The RHEV export domain's VM 3c1d5f5e-0000-4000-8000-000000000001.");
    expect(t).toContain("<ovf:Envelope/>");
    expect(t).toContain("Block ide , network e1000 : no virtio capability matches this guest fallback");
    expect(t).toContain("No software to install.");
    expect(t).not.toContain("warning");
  });
});

test("a plan of another version or shape is recognised, so the page shows it as JSON instead of breaking", () => {
  expect(readablePlan(plan())).toBe(true);
  expect(readablePlan({ ...plan(), version: 2 })).toBe(false);
  expect(readablePlan({ ...plan(), nics: [{ mac: "x" }] })).toBe(false);
  expect(readablePlan({ version: 1 })).toBe(false);
  expect(readablePlan(null)).toBe(false);
});
