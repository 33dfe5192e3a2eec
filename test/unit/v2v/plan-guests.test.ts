// The plan for each source guest in ../shared/fixtures/domains (Xen PV, Xen HVM, ESX), each
// with a profile and a network mapping, checked field by field.
import { describe, expect, test } from "vitest";
import { planConversion, PLAN_VERSION } from "../../../server/v2v/index.ts";
import { GUESTS_POOL, baseInput, factsOf, guestOf, hostWith, libvirtTarget, measured, planFixture } from "./plan-helpers.ts";

const SOFT = "/srv/software";

describe("Xen PV guest (pygrub, block xvda, bridge xenbr0) with -p kvm", () => {
  const guest = guestOf("xen-pv-pygrub.xml");
  const facts = factsOf("xen-pv.facts.json");
  const kernelPae = `${SOFT}/rhel/5/kernel-PAE-2.6.18-128.el5.i686.rpm`;
  const ecryptfs = `${SOFT}/rhel/5/ecryptfs-utils-56-8.el5.i386.rpm`;
  const plan = planConversion(
    baseInput({
      guest,
      facts,
      target: libvirtTarget(),
      disks: measured(guest, [{ format: "raw", virtualSize: 8 * 1024 ** 3 + 512, actualSize: 0 }]),
      options: { profile: "kvm" },
      exists: hostWith([kernelPae, ecryptfs]),
      softwareRoot: SOFT,
    }),
  );

  test("guest and output: the profile's method, pool, format and allocation", () => {
    expect(plan.version).toBe(PLAN_VERSION);
    expect(plan.guest).toEqual({ name: "XenGuest1", sourceType: "xen", memoryKiB: 592896, vcpus: 1, arch: "i686", facts });
    expect(plan.output).toEqual({
      method: "libvirt",
      uri: "qemu:///system",
      storage: "guests",
      format: "qcow2",
      allocation: "sparse",
      profile: { name: "kvm", file: "site.conf" },
      name: "XenGuest1",
      formatFrom: "profile",
      allocationFrom: "profile",
      domainType: "kvm",
      pool: GUESTS_POOL,
    });
  });

  test("the disk: named after the source volume, in the pool directory, capacity rounded up to 1 KiB", () => {
    expect(plan.disks).toEqual([
      {
        index: 0,
        sourceIndex: 0,
        source: { path: "/dev/HostVG/XenGuest1", target: "xvda", bus: "xen", format: "raw", virtualSize: 8 * 1024 ** 3 + 512, actualSize: 0 },
        name: "XenGuest1",
        targetPath: "/var/lib/libvirt/images/XenGuest1",
        targetDev: "vda",
        bus: "virtio",
        format: "qcow2",
        allocation: "sparse",
        capacity: 8 * 1024 ** 3 + 1024,
        volumeType: "file",
      },
    ]);
  });

  test("the NIC: site.conf's top-level mapping xenbr0 -> network default, MAC kept, virtio", () => {
    expect(plan.nics).toEqual([
      {
        mac: "00:16:3e:66:94:9c",
        from: { type: "bridge", name: "xenbr0" },
        to: { type: "network", name: "default" },
        rule: "config",
        file: "site.conf",
        model: "virtio",
      },
    ]);
  });

  test("software: kernel-xen replaced by kernel-PAE of the same version, with its ecryptfs-utils dep", () => {
    expect(plan.drivers).toEqual({
      block: "virtio",
      net: "virtio",
      reason:
        "the virtio capability (virt-v2v.db, rung 4) is installable: kernel package kernel-PAE 2.6.18-164.el5 (i686) replacing kernel-xen",
    });
    expect(plan.software).toMatchObject({
      capability: { name: "virtio", file: "virt-v2v.db", rung: 4 },
      satisfied: false,
      install: [],
      upgrade: [],
      kernel: { name: "kernel-PAE", arch: "i686", version: "2.6.18", release: "164.el5", replaces: "kernel-xen" },
      missing: [],
      skipped: ["selinux-policy-targeted"],
    });
    expect(plan.software?.files.map((f) => [f.app, f.arch, f.hostPath, f.kernel])).toEqual([
      ["kernel-PAE", "i686", kernelPae, true],
      ["ecryptfs-utils", "i386", ecryptfs, false],
    ]);
    expect(plan.transferIso.entries).toEqual([
      { isoPath: "rhel/5/kernel-PAE-2.6.18-128.el5.i686.rpm", hostPath: kernelPae, file: "virt-v2v.db" },
      { isoPath: "rhel/5/ecryptfs-utils-56-8.el5.i386.rpm", hostPath: ecryptfs, file: "virt-v2v.db" },
    ]);
    expect(plan.windows).toBeUndefined();
    expect(plan.ovf).toBeUndefined();
  });

  test("the domain XML is virt-v2v's skeleton for this guest", () => {
    expect(plan.domainXml).toBe(planFixture("xen-pv.expected.xml"));
  });

  test("warnings: none for a fully mapped guest", () => {
    expect(plan.warnings).toEqual([]);
  });
});

describe("Xen HVM guest (IDE disk, CD-ROM, bridge xenbr1) with -p kvm", () => {
  const guest = guestOf("xen-hvm.xml");
  const plan = planConversion(
    baseInput({ guest, facts: factsOf("xen-hvm.facts.json"), target: libvirtTarget(), options: { profile: "kvm" } }),
  );

  test("the virtio capability is already satisfied: no software, nothing in the ISO", () => {
    expect(plan.drivers).toEqual({
      block: "virtio",
      net: "virtio",
      reason: "the virtio capability (virt-v2v.db, rung 4) is already satisfied by the guest",
    });
    expect(plan.software).toMatchObject({ satisfied: true, kernel: null, files: [], missing: [] });
    expect(plan.transferIso.entries).toEqual([]);
  });

  test("the NIC goes where the profile's own mapping says, named with the profile's layer", () => {
    expect(plan.nics).toEqual([
      {
        mac: "00:16:3E:66:92:9C",
        from: { type: "bridge", name: "xenbr1" },
        to: { type: "network", name: "lan" },
        rule: "profile",
        file: "site.conf",
        model: "virtio",
      },
    ]);
  });

  test("disk hda becomes vda; a fully allocated block source, but the profile says sparse qcow2", () => {
    expect(plan.disks.map((d) => [d.source.target, d.targetDev, d.bus, d.name, d.targetPath, d.format, d.allocation])).toEqual([
      ["hda", "vda", "virtio", "XenGuest2", "/var/lib/libvirt/images/XenGuest2", "qcow2", "sparse"],
    ]);
  });

  test("domain XML: the CD-ROM restarts at hda on IDE, features kept in source order, memory and vcpu", () => {
    const xml = plan.domainXml ?? "";
    expect(xml).toContain(
      '    <disk type="file" device="cdrom">\n      <driver name="qemu" type="raw"/>\n      <target dev="hda" bus="ide"/>\n      <readonly/>\n    </disk>\n',
    );
    expect(xml).not.toContain("/root/boot.iso");
    expect(xml).toContain("  <features>\n    <pae/>\n    <acpi/>\n    <apic/>\n  </features>\n");
    expect(xml).toContain('  <memory unit="KiB">592896</memory>\n  <vcpu>1</vcpu>\n');
    expect(xml).toContain('<type arch="i686">hvm</type>');
    expect(xml).toContain('<interface type="network">\n      <mac address="00:16:3E:66:92:9C"/>\n      <source network="lan"/>\n      <model type="virtio"/>');
    expect(xml).not.toMatch(/emulator|loader|hvmloader|xen/);
  });
});

describe("ESX guest (datastore vmdk, bridge 'VM Network') with -p archive and -b br0", () => {
  const guest = guestOf("esx-vmware.xml");
  const base = baseInput({
    guest,
    facts: factsOf("esx.facts.json"),
    target: { method: "local", storage: "/srv/archive", bridges: ["br0", "virbr0"] },
    // The flat vmdk read over https is raw; 2 GiB of its 8 GiB are allocated.
    disks: measured(guest, [{ format: "raw", virtualSize: 8 * 1024 ** 3, actualSize: 2 * 1024 ** 3 }]),
    options: { profile: "archive", bridge: ["br0"] },
  });
  const plan = planConversion(base);

  test("output: -o local from the profile; no format attribute, so format and allocation follow the source", () => {
    expect(plan.output).toEqual({
      method: "local",
      storage: "/srv/archive",
      format: "raw",
      allocation: "sparse",
      profile: { name: "archive", file: "site.conf" },
      name: "Fedora11",
      formatFrom: "source",
      allocationFrom: "source",
      domainType: "kvm",
      xmlPath: "/srv/archive/Fedora11.xml",
    });
  });

  test("the disk: NAME-sda in the directory (virt-v2v 2.x -o local naming), sda on SCSI becomes vda", () => {
    expect(plan.disks).toEqual([
      {
        index: 0,
        sourceIndex: 0,
        source: { path: "[datastore] directory/Fedora11.vmdk", target: "sda", bus: "scsi", format: "raw", virtualSize: 8 * 1024 ** 3, actualSize: 2 * 1024 ** 3 },
        name: "Fedora11-sda",
        targetPath: "/srv/archive/Fedora11-sda",
        targetDev: "vda",
        bus: "virtio",
        format: "raw",
        allocation: "sparse",
        capacity: 8 * 1024 ** 3,
        volumeType: "file",
      },
    ]);
  });

  test("the NIC: Perl's --bridge br0 takes every unmapped NIC", () => {
    expect(plan.nics).toEqual([
      {
        mac: "00:50:56:91:48:c7",
        from: { type: "bridge", name: "VM Network" },
        to: { type: "bridge", name: "br0" },
        rule: "default",
        defaultSource: "cli",
        model: "virtio",
      },
    ]);
    expect(plan.domainXml).toContain('<interface type="bridge">\n      <mac address="00:50:56:91:48:c7"/>\n      <source bridge="br0"/>\n      <model type="virtio"/>');
  });

  test("Fedora has virtio in every release: satisfied at rung 6", () => {
    expect(plan.software).toMatchObject({ capability: { name: "virtio", file: "virt-v2v.db", rung: 6 }, satisfied: true });
    expect(plan.guest.arch).toBe("i686");
  });

  test("-on renames the guest, its disk files and its XML file", () => {
    const renamed = planConversion({ ...base, newId: base.newId, options: { ...base.options, outputName: "f11" } });
    expect(renamed.output.name).toBe("f11");
    expect(renamed.output.xmlPath).toBe("/srv/archive/f11.xml");
    expect(renamed.disks[0]?.targetPath).toBe("/srv/archive/f11-sda");
    expect(renamed.domainXml).toContain("<name>f11</name>");
    expect(renamed.guest.name).toBe("Fedora11");
  });

  test("the same input gives the same plan", () => {
    expect(planConversion(baseInput({ ...base, newId: base.newId }))).toEqual(plan);
  });
});
