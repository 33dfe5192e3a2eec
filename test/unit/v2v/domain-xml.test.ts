import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { DomainXmlError, NO_STORAGE_MESSAGE, parseDomainXml, type SourceGuest } from "../../../server/v2v/index.ts";

function domainFixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/domains/${name}`, import.meta.url), "utf8");
}

/** The guest as plain data (absent fields dropped; a graphics password would read "***"). */
function plain(guest: SourceGuest): unknown {
  return JSON.parse(JSON.stringify(guest));
}

const NO_WARNINGS: never[] = [];

const FIXTURES: { file: string; expected: unknown }[] = [
  {
    file: "xen-pv-pygrub.xml",
    expected: {
      name: "XenGuest1",
      uuid: "c7a5fdb0-cdaf-9455-926a-d65c16db1809",
      type: "xen",
      memoryKiB: 592896,
      currentMemoryKiB: 403456,
      vcpus: 1,
      os: { type: "linux", arch: "i686", machine: "xenpv", boot: [] },
      bootloader: "/usr/bin/pygrub",
      features: [],
      disks: [
        {
          type: "block",
          path: "/dev/HostVG/XenGuest1",
          target: "xvda",
          bus: "xen",
          driver: { name: "phy" },
          readonly: false,
          line: 12,
          column: 5,
        },
      ],
      removables: [],
      nics: [{ type: "bridge", source: "xenbr0", mac: "00:16:3e:66:94:9c" }],
      graphics: [{ type: "vnc" }],
      warnings: NO_WARNINGS,
    },
  },
  {
    file: "xen-hvm.xml",
    expected: {
      name: "XenGuest2",
      uuid: "c7a5fdb2-cdaf-9455-926a-d65c16db1809",
      type: "xen",
      // No unit= (older RHEL 5 dumps): KiB.
      memoryKiB: 592896,
      currentMemoryKiB: 403456,
      vcpus: 1,
      os: { type: "hvm", loader: "/usr/lib/xen/boot/hvmloader", boot: ["cdrom"] },
      features: ["pae", "acpi", "apic"],
      disks: [
        {
          type: "block",
          path: "/dev/HostVG/XenGuest2",
          target: "hda",
          bus: "ide",
          driver: { name: "phy" },
          readonly: false,
          line: 17,
          column: 5,
        },
      ],
      removables: [{ device: "cdrom", type: "file", path: "/root/boot.iso", target: "hdc", bus: "ide" }],
      nics: [{ type: "bridge", source: "xenbr1", mac: "00:16:3E:66:92:9C" }],
      graphics: [{ type: "vnc" }],
      warnings: NO_WARNINGS,
    },
  },
  {
    file: "esx-vmware.xml",
    expected: {
      name: "Fedora11",
      uuid: "50115e16-9bdc-49d7-f171-53c4d7f91710",
      type: "vmware",
      memoryKiB: 1048576,
      currentMemoryKiB: 1048576,
      vcpus: 1,
      os: { type: "hvm", arch: "i686", boot: [] },
      features: [],
      disks: [
        {
          type: "file",
          path: "[datastore] directory/Fedora11.vmdk",
          target: "sda",
          bus: "scsi",
          driver: {},
          readonly: false,
          line: 12,
          column: 5,
        },
      ],
      removables: [],
      nics: [{ type: "bridge", source: "VM Network", mac: "00:50:56:91:48:c7" }],
      graphics: [],
      warnings: NO_WARNINGS,
    },
  },
];

describe("parseDomainXml: the source guests of the fixtures", () => {
  test.each(FIXTURES)("$file", ({ file, expected }) => {
    expect(plain(parseDomainXml(domainFixture(file), file))).toEqual(expected);
  });

  test("every fixture in the directory is covered by the table", () => {
    const listed = new Set(FIXTURES.map((f) => f.file));
    const dir = new URL("../../fixtures/domains/", import.meta.url);
    const onDisk = (readFileSync(new URL("README.md", dir), "utf8").match(/[\w-]+\.xml/g) ?? []).sort();
    expect([...listed].sort()).toEqual(onDisk);
  });
});

function domain(devices: string, head = "<name>g</name><memory>1024</memory>", attrs = "type='kvm'"): string {
  return `<domain ${attrs}>${head}<devices>${devices}</devices></domain>`;
}
const DISK = "<disk type='file' device='disk'><source file='/images/g.img'/><target dev='vda' bus='virtio'/></disk>";

describe("parseDomainXml: fields", () => {
  test.each([
    ["", 1024],
    ["unit='KiB'", 1024],
    ["unit='k'", 1024],
    ["unit='b'", 1],
    ["unit='bytes'", 1],
    ["unit='KB'", 1000],
    ["unit='MiB'", 1024 * 1024],
    ["unit='M'", 1024 * 1024],
    ["unit='MB'", 1_000_000],
    ["unit='GiB'", 1024 ** 3],
    ["unit='G'", 1024 ** 3],
    ["unit='GB'", 1_000_000_000],
  ])("<memory %s>1024</memory> is %d KiB", (unit, kib) => {
    const guest = parseDomainXml(domain(DISK, `<name>g</name><memory ${unit}>1024</memory>`));
    expect(guest.memoryKiB).toBe(kib);
  });

  test("a unit that does not divide into KiB rounds up, as libvirt does", () => {
    expect(parseDomainXml(domain(DISK, "<name>g</name><memory unit='b'>1025</memory>")).memoryKiB).toBe(2);
    expect(parseDomainXml(domain(DISK, "<name>g</name><memory unit='KB'>1</memory>")).memoryKiB).toBe(1);
  });

  test("currentMemory absent, vcpu absent means 1, vcpu current attribute ignored", () => {
    expect(parseDomainXml(domain(DISK)).currentMemoryKiB).toBeUndefined();
    expect(parseDomainXml(domain(DISK)).vcpus).toBe(1);
    const guest = parseDomainXml(domain(DISK, "<name>g</name><memory>1</memory><vcpu current='2'>4</vcpu>"));
    expect(guest.vcpus).toBe(4);
  });

  test("disks, CD-ROMs, floppies, NICs and graphics in document order, with formats when known", () => {
    const guest = parseDomainXml(
      domain(`
        <disk type='file' device='floppy'><source file='/f.img'/><target dev='fda'/></disk>
        <disk type='file' device='disk'><driver name='tap' type='aio'/><source file='/a.img'/><target dev='xvda'/></disk>
        <interface type='network'><mac address='52:54:00:00:00:01'/><source network='default'/><model type='virtio'/></interface>
        <disk type='file'><driver name='qemu' type='qcow2'/><source file='/b.qcow2'/><target dev='xvdb' bus='xen'/></disk>
        <disk type='block' device='cdrom'><target dev='hdc' bus='ide'/><readonly/></disk>
        <interface type='bridge'><source bridge='br0'/></interface>
        <disk type='block' device='disk'><driver name='file'/><source dev='/dev/vg/c'/><target dev='xvdc'/><readonly/></disk>
        <graphics type='vnc' keymap='de' passwd='s3cret'/>
        <graphics type='spice'/>
        <interface type='user'/>
      `),
    );
    expect(guest.disks.map((d) => [d.target, d.type, d.path, d.format, d.readonly])).toEqual([
      ["xvda", "file", "/a.img", "raw", false],
      ["xvdb", "file", "/b.qcow2", "qcow2", false],
      ["xvdc", "block", "/dev/vg/c", undefined, true],
    ]);
    expect(guest.removables.map((r) => [r.device, r.target, r.path])).toEqual([
      ["floppy", "fda", "/f.img"],
      ["cdrom", "hdc", undefined],
    ]);
    expect(guest.nics).toEqual([
      { type: "network", source: "default", mac: "52:54:00:00:00:01", model: "virtio" },
      { type: "bridge", source: "br0", mac: undefined, model: undefined },
      { type: "user", source: undefined, mac: undefined, model: undefined },
    ]);
    expect(guest.graphics.map((g) => [g.type, g.keymap, g.password?.reveal()])).toEqual([
      ["vnc", "de", "s3cret"],
      ["spice", undefined, undefined],
    ]);
  });

  test("a graphics password never shows in JSON, String() or inspect", () => {
    const guest = parseDomainXml(domain(`${DISK}<graphics type='vnc' passwd='s3cret'/>`));
    expect(JSON.stringify(guest)).not.toContain("s3cret");
    expect(inspect(guest, { depth: 10 })).not.toContain("s3cret");
    expect(String(guest.graphics[0]?.password)).toBe("***");
  });

  test("a running guest's id, bootloader_args, os kernel; a lun disk is a warning", () => {
    const guest = parseDomainXml(
      domain(
        `${DISK}<disk type='block' device='lun'><source dev='/dev/sdz'/><target dev='sdz'/></disk>`,
        "<name>g</name><memory>1</memory><bootloader>/usr/bin/pygrub</bootloader><bootloader_args>-q</bootloader_args>" +
          "<os><type arch='x86_64'>linux</type><kernel>/boot/vmlinuz</kernel></os>",
        "type='xen' id='6'",
      ),
    );
    expect(guest.id).toBe("6");
    expect(guest.bootloaderArgs).toBe("-q");
    expect(guest.os.kernel).toBe("/boot/vmlinuz");
    expect(guest.warnings.map((w) => w.message)).toEqual(["disk device 'lun' is not converted and is ignored"]);
  });

  test("entities in attribute values are decoded (predefined ones only)", () => {
    const guest = parseDomainXml(domain(DISK.replace("/images/g.img", "/images/a&amp;b.img"), "<name>a&lt;b</name><memory>1</memory>"));
    expect(guest.name).toBe("a<b");
    expect(guest.disks[0]?.path).toBe("/images/a&b.img");
  });
});

function failure(text: string): DomainXmlError {
  try {
    parseDomainXml(text, "guest.xml");
  } catch (error) {
    if (error instanceof DomainXmlError) return error;
    throw error;
  }
  throw new Error("expected a DomainXmlError");
}

describe("parseDomainXml: bad input", () => {
  test("no disks: virt-v2v's message, code NO_STORAGE, positioned at <devices>", () => {
    const error = failure(domain("<interface type='bridge'><source bridge='br0'/></interface>"));
    expect(error.message).toBe("Guest doesn't define any storage devices");
    expect(error.message).toBe(NO_STORAGE_MESSAGE);
    expect(error.code).toBe("NO_STORAGE");
    expect([error.line, error.column]).toEqual([1, 55]);
  });

  test("only a CD-ROM is still no storage", () => {
    expect(failure(domain("<disk type='file' device='cdrom'><target dev='hdc'/></disk>")).code).toBe("NO_STORAGE");
  });

  test.each([
    ["malformed XML", "<domain type='kvm'>\n  <name>g</nam>\n</domain>", 2, 10, /^malformed XML: Expected closing tag 'name'/],
    ["a DOCTYPE", "<!DOCTYPE domain [<!ENTITY x 'y'>]>\n<domain type='kvm'/>", 1, 1, /^<!DOCTYPE> declarations are not allowed in domain XML/],
    ["an undefined entity", "<domain type='kvm'>\n<name>&xxe;</name></domain>", 2, 7, /^undefined entity &xxe;/],
    ["empty text", "", 1, 1, /^no root element: domain XML is a <domain> element/],
    ["another root", "<virt-v2v/>", 1, 1, /^the root element is <virt-v2v>/],
    ["no domain type", "<domain><name>g</name></domain>", 1, 1, /^<domain> has no type attribute/],
    ["no name", "<domain type='kvm'><memory>1</memory></domain>", 1, 1, /^the guest has no <name>/],
    ["no memory", "<domain type='kvm'><name>g</name></domain>", 1, 1, /^the guest has no <memory>/],
    ["memory not a number", "<domain type='kvm'><name>g</name>\n<memory>1.5</memory></domain>", 2, 1, /^<memory> must be a whole number/],
    ["an unknown unit", "<domain type='kvm'><name>g</name><memory unit='furlong'>1</memory></domain>", 1, 34, /^unknown unit 'furlong'/],
    ["vcpu 0", `<domain type='kvm'><name>g</name><memory>1</memory><vcpu>0</vcpu><devices>${DISK}</devices></domain>`, 1, 52, /^<vcpu> must be a whole number of at least 1/],
    ["a network disk", domain("<disk type='network' device='disk'><source protocol='nbd'/><target dev='vda'/></disk>"), 1, 64, /^disk type 'network' cannot be converted/],
    ["a disk without source", domain("<disk type='file' device='disk'><target dev='vda'/></disk>"), 1, 64, /^disk vda has no source file/],
    ["a disk without target", domain("<disk type='block' device='disk'><source dev='/dev/x'/></disk>"), 1, 64, /^a disk has no <target dev=...>/],
  ])("%s", (_label, text, line, column, message) => {
    const error = failure(text);
    expect(error.code).toBe("DOMAIN_XML");
    expect(error.message).toMatch(message);
    expect([error.line, error.column]).toEqual([line, column]);
    expect(error.format()).toBe(`guest.xml:${line}:${column}: ${error.message}`);
  });
});

describe("parseDomainXml: untrusted input", () => {
  const TOKENS = [
    "<", ">", "/", "=", "'", '"', "&", ";", "!", " ", "\n", "domain", "type", "disk", "devices", "name",
    "memory", "unit", "source", "file", "target", "dev", "interface", "graphics", "passwd", "<!DOCTYPE",
    "<!ENTITY", "&amp;", "&#x41;", "&#0;", "<![CDATA[", "]]>", "__proto__", "1024", "KiB",
  ];
  const outcome = (text: string) => {
    try {
      parseDomainXml(text, "x.xml");
    } catch (error) {
      if (!(error instanceof DomainXmlError)) throw error;
      expect(error.line).toBeGreaterThanOrEqual(1);
      expect(error.column).toBeGreaterThanOrEqual(1);
    }
  };

  test("random markup soup gives a guest or a positioned DomainXmlError, never another exception", () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }), (t) => outcome(t.join(""))), { numRuns: 2000 });
  });

  test("each fixture cut or corrupted anywhere gives a guest or a DomainXmlError", () => {
    const texts = FIXTURES.map((f) => domainFixture(f.file));
    fc.assert(
      fc.property(fc.constantFrom(...texts), fc.nat(2000), fc.nat(2000), fc.constantFrom(...TOKENS), (text, a, b, insert) => {
        const at = a % (text.length + 1);
        outcome(text.slice(0, at) + insert + text.slice(Math.min(text.length, at + (b % 20))));
      }),
      { numRuns: 2000 },
    );
  });
});
