// planConversion's decisions and refusals: the RHEL 5.4 Xen guest whose kernel must be
// replaced, missing software, the IDE/e1000 fallback, Windows driver folders, targets that
// lack a pool or a network, the RHEV layout, and the output options.
import { describe, expect, test } from "vitest";
import {
  MissingSoftwareError,
  PlanError,
  ProfileError,
  UsageError,
  UNCONVERTIBLE_WARNING,
  parseGuestFacts,
  planConversion,
  resolvePlanOutput,
  type GuestFacts,
  type TGuestFactsInput,
} from "../../../server/v2v/index.ts";
import { vendorDb } from "./helpers.ts";
import { SD, baseInput, factsOf, guestOf, hostWith, ids, layer, libvirtTarget, measured, siteStack } from "./plan-helpers.ts";

const KERNEL = "/srv/repo/rhel/5/kernel-2.6.18-164.el5.x86_64.rpm";

function facts(input: TGuestFactsInput): GuestFacts {
  const r = parseGuestFacts(input);
  if (!r.ok) throw new Error(r.problems.join("; "));
  return r.facts;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

describe("the RHEL 5.4 x86_64 Xen guest whose rpm database has only kernel-xen", () => {
  const guest = guestOf("rhel54-xen.xml");
  const input = baseInput({
    guest,
    facts: factsOf("rhel54-xen-only.facts.json"),
    files: [layer("repo.conf", "Repository"), vendorDb()],
    target: { method: "local", storage: "/srv/out" },
    disks: measured(guest, [{ format: "raw", virtualSize: 96 * 1024 ** 2, actualSize: 40 * 1024 ** 2 }]),
    options: { network: ["default"] },
    exists: hostWith([KERNEL]),
  });

  test("the plan replaces the Xen kernel with the repository's kernel RPM and chooses virtio", () => {
    const plan = planConversion(input);
    expect(plan.software).toEqual({
      capability: { name: "virtio", file: "Repository", rung: 4 },
      satisfied: false,
      install: [],
      upgrade: [],
      kernel: { name: "kernel", arch: "x86_64", epoch: null, version: "2.6.18", release: "164.el5", replaces: "kernel-xen" },
      files: [
        {
          app: "kernel",
          arch: "x86_64",
          path: "rhel/5/kernel-2.6.18-164.el5.x86_64.rpm",
          hostPath: KERNEL,
          file: "Repository",
          rung: 3,
          kernel: true,
          missing: false,
        },
      ],
      missing: [],
      skipped: [],
    });
    expect(plan.drivers.block).toBe("virtio");
    expect(plan.drivers.net).toBe("virtio");
    expect(plan.drivers.reason).toContain("kernel package kernel 2.6.18-164.el5 (x86_64) replacing kernel-xen");
    expect(plan.guest.arch).toBe("x86_64");
  });

  test("the transfer ISO holds the kernel RPM at its config path, and nothing the host lacks", () => {
    const plan = planConversion(input);
    expect(plan.transferIso.entries).toEqual([
      { isoPath: "rhel/5/kernel-2.6.18-164.el5.x86_64.rpm", hostPath: KERNEL, file: "Repository" },
    ]);
    expect(plan.transferIso.skipped.map((s) => s.file)).not.toContain("Repository");
  });

  test("the tap:aio disk is raw; -o local writes rhel54-sda; the NIC goes to --network default", () => {
    const plan = planConversion(input);
    expect(plan.disks[0]).toMatchObject({ name: "rhel54-sda", targetPath: "/srv/out/rhel54-sda", format: "raw", allocation: "sparse", targetDev: "vda" });
    expect(plan.nics[0]).toMatchObject({ to: { type: "network", name: "default" }, rule: "default", defaultSource: "cli", model: "virtio" });
  });

  test("the graphics keymap and password are copied into the domain XML and appear nowhere else", () => {
    const plan = planConversion(input);
    expect(plan.domainXml).toContain('<graphics type="spice" autoport="yes" keymap="de" passwd="s3cret"/>');
    const { domainXml, ...rest } = plan;
    expect(JSON.stringify(rest)).not.toContain("s3cret");
    expect(plan.warnings.join("\n")).not.toContain("s3cret");
  });

  test("the kernel RPM missing from the repository fails the plan with virt-v2v's message", () => {
    const error = thrown(() => planConversion({ ...input, exists: () => false }));
    expect(error).toBeInstanceOf(MissingSoftwareError);
    expect((error as MissingSoftwareError).message).toBe(
      "Installation failed because the following files referenced in the configuration file are required, but missing: rhel/5/kernel-2.6.18-164.el5.x86_64.rpm",
    );
  });

  test("with only the vendor database, lvm2 and its deps are needed too, and all missing files are named, kernel first", () => {
    const error = thrown(() => planConversion({ ...input, files: [layer("repo.conf", "Repository"), vendorDb()].slice(1) }));
    expect(error).toBeInstanceOf(MissingSoftwareError);
    expect((error as MissingSoftwareError).paths).toEqual([
      "rhel/5/kernel-2.6.18-128.el5.x86_64.rpm",
      "rhel/5/ecryptfs-utils-56-8.el5.x86_64.rpm",
      "rhel/5/lvm2-2.02.40-6.el5.x86_64.rpm",
      "rhel/5/device-mapper-1.02.28-2.el5.x86_64.rpm",
      "rhel/5/device-mapper-event-1.02.28-2.el5.x86_64.rpm",
    ]);
  });

  test("-o rhev: images/UUID/UUID with its .meta text, and the OVF under master/vms", () => {
    const plan = planConversion({
      ...input,
      newId: ids(),
      target: { method: "rhev", storage: "/mnt/export", rhevDomain: SD },
      options: { network: ["rhevm"], allocation: "preallocated" },
    });
    const vm = "00000000-0000-4000-8000-000000000001";
    const image = "00000000-0000-4000-8000-000000000002";
    const volume = "00000000-0000-4000-8000-000000000003";
    const path = `/mnt/export/${SD}/images/${image}/${volume}`;
    expect(plan.output).toMatchObject({ method: "rhev", storage: "/mnt/export", rhevDomain: SD, allocation: "preallocated", allocationFrom: "cli" });
    expect(plan.domainXml).toBeUndefined();
    expect(plan.disks[0]).toMatchObject({
      name: volume,
      targetPath: path,
      capacity: 96 * 1024 ** 2,
      format: "raw",
      allocation: "preallocated",
      rhev: {
        imageId: image,
        volumeId: volume,
        metaPath: `${path}.meta`,
        meta: [
          `DOMAIN=${SD}`,
          "VOLTYPE=LEAF",
          "CTIME=1700000000",
          "FORMAT=RAW",
          `IMAGE=${image}`,
          "DISKTYPE=1",
          "PUUID=00000000-0000-0000-0000-000000000000",
          "LEGALITY=LEGAL",
          "MTIME=1700000000",
          "POOL_UUID=00000000-0000-0000-0000-000000000000",
          `SIZE=${(96 * 1024 ** 2) / 512}`,
          "TYPE=PREALLOCATED",
          "DESCRIPTION=Exported by virt-v2v",
          "EOF",
          "",
        ].join("\n"),
      },
    });
    expect(plan.ovf?.vmId).toBe(vm);
    expect(plan.ovf?.path).toBe(`/mnt/export/${SD}/master/vms/${vm}/${vm}.ovf`);
    const ovf = plan.ovf?.xml ?? "";
    expect(ovf).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<ovf:Envelope /);
    expect(ovf).toContain('ovf:version="0.9"');
    expect(ovf).toContain(`<File ovf:href="${image}/${volume}" ovf:id="${volume}" ovf:size="${96 * 1024 ** 2}" ovf:description="imported by virt-v2v"/>`);
    expect(ovf).toContain('<Network ovf:name="rhevm"/>');
    expect(ovf).toContain(
      `<Disk ovf:diskId="${volume}" ovf:size="1" ovf:actual_size="1" ovf:fileRef="${image}/${volume}" ovf:parentRef="" ` +
        'ovf:vm_snapshot_id="00000000-0000-0000-0000-000000000000" ovf:volume-format="RAW" ovf:volume-type="Preallocated" ' +
        'ovf:format="http://en.wikipedia.org/wiki/Byte" ovf:disk-interface="VirtIO" ovf:boot="True"/>',
    );
    expect(ovf).toContain("<Name>rhel54</Name>");
    expect(ovf).toContain("<Description>Imported with virt-v2v</Description>");
    expect(ovf).toContain("<CreationDate>2023/11/14 22:13:20</CreationDate>");
    expect(ovf).toContain("<VmType>1</VmType>");
    expect(ovf).toContain("<Description>RHEL5x64</Description>");
    expect(ovf).toContain("<rasd:Caption>512 MB of memory</rasd:Caption>");
    expect(ovf).toContain("<rasd:Caption>Drive 1</rasd:Caption>");
    expect(ovf).toContain(`<rasd:StorageId>${SD}</rasd:StorageId>`);
    expect(ovf).toContain(
      "<rasd:ResourceSubType>3</rasd:ResourceSubType>\n        <rasd:Connection>rhevm</rasd:Connection>\n        <rasd:Name>eth0</rasd:Name>\n        <rasd:MACAddress>00:16:3e:12:34:56</rasd:MACAddress>",
    );
    expect(ovf).not.toContain("s3cret");
  });

  test("-o rhev without a storage domain under the export path: virt-v2v's refusal", () => {
    const error = thrown(() => planConversion({ ...input, target: { method: "rhev", storage: "/mnt/export" } }));
    expect(error).toBeInstanceOf(PlanError);
    expect(error).toMatchObject({ code: "NO_STORAGE_DOMAIN", message: "/mnt/export does not contain an initialised storage domain." });
  });
});

describe("drivers: the IDE/e1000 fallback and guests no converter handles", () => {
  const guest = guestOf("xen-hvm.xml");

  test("no virtio capability for the guest: IDE disks hda.., e1000 NICs, the reason and virt-v2v's warning", () => {
    const plan = planConversion(
      baseInput({
        guest,
        facts: facts({ os: "linux", distro: "debian", major: 12, minor: 0, arch: "x86_64" }),
        target: libvirtTarget(),
        options: { network: ["default"] },
      }),
    );
    const noMatch = "No capability in config matches os='linux' name='virtio' distro='debian' major='12' minor='0'";
    expect(plan.drivers).toEqual({ block: "ide", net: "e1000", reason: `the virtio capability cannot be installed: ${noMatch}` });
    expect(plan.software).toBeNull();
    expect(plan.warnings).toContain(noMatch);
    expect(plan.disks[0]).toMatchObject({ targetDev: "hda", bus: "ide" });
    expect(plan.nics[0]?.model).toBe("e1000");
    const xml = plan.domainXml ?? "";
    expect(xml).toContain('<target dev="hda" bus="ide"/>');
    // The CD-ROM follows the IDE disk.
    expect(xml).toContain('<target dev="hdb" bus="ide"/>\n      <readonly/>');
    expect(xml).toContain('<model type="e1000"/>');
    expect(xml).toContain('<type arch="x86_64">hvm</type>');
  });

  test("an OS no converter handles: IDE, rtl8139, x86_64 and virt-v2v's warning", () => {
    const plan = planConversion(baseInput({ guest, facts: facts({ os: "freebsd" }), target: libvirtTarget(), options: { network: ["default"] } }));
    expect(plan.drivers).toMatchObject({ block: "ide", net: "rtl8139" });
    expect(plan.guest.arch).toBe("x86_64");
    expect(plan.warnings).toContain(UNCONVERTIBLE_WARNING);
  });

  test("facts without an operating system: virt-v2v's 'No root device found' refusal", () => {
    const error = thrown(() => planConversion(baseInput({ guest, facts: facts({ os: "unknown" }), target: libvirtTarget() })));
    expect(error).toMatchObject({ code: "NO_OS", message: "No root device found in this operating system image." });
  });

  test("Perl's --network and --bridge together are virt-v2v's usage error", () => {
    const error = thrown(() =>
      planConversion(baseInput({ guest, facts: factsOf("xen-hvm.facts.json"), target: libvirtTarget(), options: { network: ["default"], bridge: ["br0"] } })),
    );
    expect(error).toEqual(new UsageError("--network and --bridge are mutually exclusive"));
  });

  test("SUSE guests get cirrus and VNC, as virt-v2v gives them", () => {
    const files = [layer("site.conf"), vendorDb()];
    const plan = planConversion(
      baseInput({
        files,
        guest,
        facts: facts({ os: "linux", distro: "sles", major: 11, minor: 3, arch: "x86_64", kernel: { name: "kernel-default", version: "3.0.76", release: "0.11.1", arch: "x86_64" } }),
        target: libvirtTarget(),
        options: { network: ["default"] },
      }),
    );
    expect(plan.domainXml).toContain('<model type="cirrus" vram="9216" heads="1"/>');
    expect(plan.domainXml).toContain('<graphics type="vnc" autoport="yes"/>');
  });
});

describe("Windows: the virtio app picked for the guest's arch, rhsrvany", () => {
  const guest = guestOf("xen-hvm.xml");
  const win2008r2 = facts({ os: "windows", major: 6, minor: 1, arch: "x86_64" });
  const dir = "/usr/share/virtio-win/drivers/amd64/Win2008";
  const rhsrvany = "/srv/software/windows/rhsrvany.exe";
  const input = baseInput({
    guest,
    facts: win2008r2,
    target: libvirtTarget(),
    options: { network: ["default"] },
    softwareRoot: "/srv/software",
    exists: hostWith([dir, `${dir}/viostor.sys`, `${dir}/netkvm.inf`, rhsrvany]),
  });

  test("a driver folder with viostor.sys and netkvm.inf: virtio block and network; the folders in plan.windows", () => {
    const plan = planConversion(input);
    expect(plan.drivers).toEqual({ block: "virtio", net: "virtio", reason: `the virtio driver folder ${dir} has viostor.sys and netkvm.inf` });
    expect(plan.windows).toEqual({ virtio: dir, rhsrvany });
    expect(plan.software).toBeNull();
    expect(plan.warnings).toEqual([]);
  });

  test("a folder without netkvm.inf: virtio disks, rtl8139 NICs, with a warning", () => {
    const plan = planConversion({ ...input, exists: hostWith([dir, `${dir}/viostor.sys`, rhsrvany]) });
    expect(plan.drivers).toMatchObject({ block: "virtio", net: "rtl8139" });
    expect(plan.warnings.some((w) => w.includes("netkvm.inf"))).toBe(true);
  });

  test("the configured driver folder missing on the host fails the plan, naming the folder", () => {
    const error = thrown(() => planConversion({ ...input, exists: hostWith([rhsrvany]) }));
    expect(error).toBeInstanceOf(PlanError);
    expect(error).toMatchObject({
      code: "WINDOWS_SOFTWARE_MISSING",
      message: `The installation of virtio drivers failed because the driver path referenced in the configuration file (${dir}) is required, but missing.`,
    });
  });

  test("rhsrvany configured but missing on the host fails the plan with virt-v2v's message", () => {
    const error = thrown(() => planConversion({ ...input, exists: hostWith([dir, `${dir}/viostor.sys`]) }));
    expect(error).toMatchObject({ code: "WINDOWS_SOFTWARE_MISSING", message: "Unable to configure firstboot service because windows/rhsrvany.exe is required, but missing" });
  });

  test("no virtio app for this Windows (10.0): IDE and rtl8139 with the reason", () => {
    const plan = planConversion({ ...input, facts: facts({ os: "windows", major: 10, minor: 0, arch: "x86_64" }) });
    expect(plan.drivers).toMatchObject({ block: "ide", net: "rtl8139" });
    expect(plan.drivers.reason).toContain("No app in config matches os='windows' name='virtio' major='10' minor='0' arch='x86_64'");
  });
});

describe("the target: pools and networks it does not have are refused before any copy", () => {
  const guest = guestOf("xen-pv-pygrub.xml");
  const input = baseInput({ guest, facts: factsOf("xen-hvm.facts.json"), target: libvirtTarget(), options: { profile: "kvm" } });

  test("the profile's pool is not on the target: Output pool NAME is not a valid storage pool.", () => {
    for (const pool of [undefined, { name: "default", type: "dir", path: "/var/lib/libvirt/images" }]) {
      const error = thrown(() => planConversion({ ...input, target: libvirtTarget({ pool }) }));
      expect(error).toBeInstanceOf(PlanError);
      expect(error).toMatchObject({ code: "INVALID_POOL", message: "Output pool guests is not a valid storage pool." });
    }
  });

  test("a NIC mapped to a network the target lacks: refused, saying which NIC, which rule and what exists", () => {
    const error = thrown(() => planConversion({ ...input, target: libvirtTarget({ networks: ["lan"] }) }));
    expect(error).toMatchObject({
      code: "UNKNOWN_NETWORK",
      message:
        "The target qemu:///system has no network default: the bridge interface xenbr0 (MAC 00:16:3e:66:94:9c) is mapped to it " +
        "by a mapping in the configuration (site.conf). Networks on the target: lan.",
    });
  });

  test("a NIC mapped to a bridge the target lacks: refused likewise", () => {
    const error = thrown(() => planConversion({ ...input, options: { profile: "kvm", bridge: ["xenbr0:br7"] }, target: libvirtTarget({ bridges: ["br0"] }) }));
    expect(error).toMatchObject({ code: "UNKNOWN_BRIDGE" });
    expect((error as Error).message).toContain("has no bridge br7");
  });

  test("targets that do not list networks are not checked; an unmapped NIC keeps its bridge with virt-v2v's warning", () => {
    const plan = planConversion({ ...input, files: [vendorDb()], options: {}, target: { method: "local", storage: "/srv/out" } });
    expect(plan.nics[0]).toMatchObject({ to: { type: "bridge", name: "xenbr0" }, rule: "unmapped" });
    expect(plan.warnings).toContain(
      "No mapping found for bridge interface xenbr0 in config file. The converted guest may not start until its network interface is updated.",
    );
  });

  test("a domain of the output name already defined there: virt-v2v's refusal, before any copy", () => {
    const error = thrown(() => planConversion({ ...input, target: libvirtTarget({ domains: ["other", "XenGuest1"] }) }));
    expect(error).toMatchObject({ code: "DOMAIN_EXISTS", message: "Domain XenGuest1 already exists on the target." });
    const renamed = planConversion({ ...input, options: { profile: "kvm", outputName: "XenGuest1-kvm" }, target: libvirtTarget({ domains: ["XenGuest1"] }) });
    expect(renamed.output.name).toBe("XenGuest1-kvm");
  });

  test("a logical pool: block volumes, raw only (virt-v2v's warning for qcow2)", () => {
    const pool = { name: "guests", type: "logical", path: "/dev/vg_guests" };
    const plan = planConversion({ ...input, target: libvirtTarget({ pool }) });
    expect(plan.disks[0]).toMatchObject({ format: "raw", volumeType: "block", targetPath: "/dev/vg_guests/XenGuest1" });
    expect(plan.warnings).toContain("Target pool type logical doesn't support format qcow2");
    expect(plan.domainXml).toContain('<disk type="block" device="disk">\n      <driver name="qemu" type="raw" cache="none"/>\n      <source dev="/dev/vg_guests/XenGuest1"/>');
  });

  test("domainType qemu for hosts without kvm", () => {
    const plan = planConversion({ ...input, domainType: "qemu" });
    expect(plan.domainXml?.split("\n")[0]).toBe('<domain type="qemu">');
    expect(plan.output.domainType).toBe("qemu");
  });
});

describe("disks: order, names and formats", () => {
  const twoDisks = (a: string, b: string) =>
    `<domain type='kvm'><name>two</name><memory>1024</memory><devices>` +
    `<disk type='file' device='disk'><source file='${a}'/><target dev='xvdb'/></disk>` +
    `<disk type='file' device='disk'><source file='${b}'/><target dev='sda'/></disk>` +
    `<disk type='file' device='cdrom'><target dev='hdc'/></disk><disk type='file' device='floppy'><target dev='fda'/></disk>` +
    `</devices></domain>`;
  const hvmFacts = () => factsOf("xen-hvm.facts.json");

  test("sd* disks first, then the others; same basenames get the source dev appended; floppies are fda", async () => {
    const { parseDomainXml } = await import("../../../server/v2v/index.ts");
    const guest = parseDomainXml(twoDisks("/a/disk.img", "/b/disk.img"), "two.xml");
    const plan = planConversion(baseInput({ guest, facts: hvmFacts(), target: libvirtTarget() }));
    expect(plan.disks.map((d) => [d.index, d.sourceIndex, d.source.target, d.targetDev, d.name])).toEqual([
      [0, 1, "sda", "vda", "disk.img"],
      [1, 0, "xvdb", "vdb", "disk.img-xvdb"],
    ]);
    expect(plan.domainXml).toContain('<target dev="fda" bus="fdc"/>');
  });

  test("without -of the source format is kept; one virt-v2v cannot create is refused", async () => {
    const { parseDomainXml } = await import("../../../server/v2v/index.ts");
    const guest = parseDomainXml(twoDisks("/a/one.qcow2", "/b/two.vmdk"), "two.xml");
    const disks = [
      { path: "/a/one.qcow2", format: "qcow2", virtualSize: 1024 ** 3, actualSize: 1024 },
      { path: "/b/two.vmdk", format: "vmdk", virtualSize: 1024 ** 3, actualSize: 1024 },
    ];
    const error = thrown(() => planConversion(baseInput({ guest, disks, facts: hvmFacts(), target: libvirtTarget() })));
    expect(error).toMatchObject({ code: "INVALID_OUTPUT_FORMAT" });
    expect((error as Error).message).toContain("Output format vmdk is not supported");
    const plan = planConversion(baseInput({ guest, disks, facts: hvmFacts(), target: libvirtTarget(), options: { format: "qcow2" } }));
    expect(plan.disks.map((d) => [d.source.format, d.format, d.allocation])).toEqual([
      ["vmdk", "qcow2", "sparse"],
      ["qcow2", "qcow2", "sparse"],
    ]);
    expect(plan.output.formatFrom).toBe("cli");
  });

  test("measured disks must match the guest's disks", () => {
    const guest = guestOf("xen-hvm.xml");
    const error = thrown(() => planConversion(baseInput({ guest, disks: [], facts: hvmFacts(), target: libvirtTarget() })));
    expect(error).toMatchObject({ code: "DISKS_MISMATCH" });
  });
});

describe("resolvePlanOutput: -p over -o/-os/-of/-oa", () => {
  const files = siteStack();

  test("a profile replaces the method, storage, format and allocation given on the command line", () => {
    expect(resolvePlanOutput(files, { profile: "kvm", method: "local", storage: "/tmp", format: "raw", allocation: "preallocated", uri: "qemu:///system" })).toEqual({
      method: "libvirt",
      uri: "qemu:///system",
      storage: "guests",
      format: "qcow2",
      formatFrom: "profile",
      allocation: "sparse",
      allocationFrom: "profile",
      profile: { name: "kvm", file: "site.conf" },
      warnings: [],
    });
  });

  test("a profile without a format attribute resets -of to the source's; -oa stays when it has no allocation", () => {
    expect(resolvePlanOutput(files, { profile: "archive", format: "qcow2", allocation: "preallocated" })).toMatchObject({
      method: "local",
      storage: "/srv/archive",
      format: undefined,
      formatFrom: "source",
      allocation: "preallocated",
      allocationFrom: "cli",
      uri: undefined,
    });
  });

  test("no profile: the command line, -o libvirt by default", () => {
    expect(resolvePlanOutput(files, { storage: "default" })).toMatchObject({ method: "libvirt", storage: "default", formatFrom: "source", allocationFrom: "source" });
  });

  test("virt-v2v's refusals", () => {
    expect(thrown(() => resolvePlanOutput(files, { profile: "nope" }))).toBeInstanceOf(ProfileError);
    expect(thrown(() => resolvePlanOutput(files, {}))).toEqual(new UsageError("You must specify an output storage location"));
    expect(thrown(() => resolvePlanOutput(files, { method: "glance", storage: "x" }))).toMatchObject({
      code: "INVALID_OUTPUT_METHOD",
      message: "glance is not a valid output method.",
    });
    expect(thrown(() => resolvePlanOutput(files, { storage: "x", format: "vmdk" }))).toMatchObject({ code: "INVALID_OUTPUT_FORMAT" });
    expect(thrown(() => resolvePlanOutput(files, { storage: "x", allocation: "thick" }))).toEqual(new UsageError("allocation scheme must be sparse or preallocated"));
  });
});
