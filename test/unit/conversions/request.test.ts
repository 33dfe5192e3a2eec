// The conversion request as the new-conversion form sends it: each field's error lands under
// that field, in virt-v2v's wording where virt-v2v has one.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { requestFromForm } from "../../../server/conversions/form-input.ts";
import { conversionRequestSchema, describeOutput, describeSource } from "../../../server/conversions/request.ts";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/domains");
const pv = readFileSync(path.join(FIXTURES, "xen-pv-pygrub.xml"), "utf8");

const base = { "source.method": "libvirtxml", "source.xml": pv, "output.method": "libvirt", "output.storage": "default" };

function errorsOf(fields: Record<string, string>, profiles?: string[]): Record<string, string[]> {
  const parsed = conversionRequestSchema(profiles ? { profiles } : {}).safeParse(requestFromForm({ ...base, ...fields }));
  if (parsed.success) return {};
  const out: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) (out[issue.path.join(".")] ??= []).push(issue.message);
  return out;
}

describe("a valid request", () => {
  test("domain XML: the guest name comes from the XML, blank rows and fields are dropped, dry run by default", () => {
    const parsed = conversionRequestSchema({ profiles: ["rhel-pool"] }).parse(
      requestFromForm({ ...base, "output.format": "qcow2", "output.allocation": "sparse", "output.name": "", profile: "rhel-pool", "network.0": "", "network.1": "default:ovirtmgmt", "bridge.0": "xenbr0:br0", "source.disks.0.from": "/dev/HostVG/XenGuest1", "source.disks.0.to": "/var/lib/xen/XenGuest1.img" }),
    );
    expect(parsed).toMatchObject({
      source: { method: "libvirtxml", guest: "XenGuest1", disks: { "/dev/HostVG/XenGuest1": "/var/lib/xen/XenGuest1.img" } },
      output: { method: "libvirt", storage: "default", format: "qcow2", allocation: "sparse", name: undefined },
      profile: "rhel-pool",
      network: ["default:ovirtmgmt"],
      bridge: ["xenbr0:br0"],
      dryRun: true,
    });
    expect(describeSource(parsed.source)).toBe("libvirtxml domain.xml");
    expect(describeOutput(parsed.output, parsed.profile)).toBe("libvirt default");
  });

  test("libvirt source: URI and guest, a real run, storage supplied by the profile", () => {
    const parsed = conversionRequestSchema({ profiles: ["rhev"] }).parse(requestFromForm({ "source.method": "libvirt", "source.uri": " xen+ssh://root@xen.example/ ", "source.guest": "web1", "output.method": "rhev", profile: "rhev", dryRun: "false" }));
    expect(parsed).toMatchObject({ source: { method: "libvirt", uri: "xen+ssh://root@xen.example/", guest: "web1" }, output: { method: "rhev", storage: undefined }, dryRun: false });
    expect(describeOutput(parsed.output, parsed.profile)).toBe("rhev from profile rhev");
  });
});

describe("each field's error", () => {
  test.each<[string, Record<string, string>, string, string]>([
    ["missing XML", { "source.xml": "  " }, "source.xml", "Upload or paste the guest's domain XML (virsh dumpxml)."],
    ["broken XML, positioned", { "source.xml": "<domain type='xen'>\n  <name>x</name>\n  <memory>1\n</domain>", "source.fileName": "guest.xml" }, "source.xml", "guest.xml:"],
    ["XML without a name", { "source.xml": "<domain type='xen'><memory>1024</memory></domain>" }, "source.xml", "domain.xml:1:1: the guest has no <name>"],
    ["XML without disks", { "source.xml": "<domain type='xen'><name>a</name><memory>1024</memory><devices/></domain>" }, "source.xml", "Guest doesn't define any storage devices"],
    ["unknown disk override", { "source.disks.0.from": "/dev/nope", "source.disks.0.to": "/x" }, "source.disks", "The guest has no disk /dev/nope (its disks: /dev/HostVG/XenGuest1)."],
    ["relative disk override", { "source.disks.0.from": "/dev/HostVG/XenGuest1", "source.disks.0.to": "x.img" }, "source.disks", "The path on the agent host for /dev/HostVG/XenGuest1 must be absolute: x.img."],
    ["bad input method", { "source.method": "ova" }, "source.method", "ova is not a valid input method."],
    ["bad source URI", { "source.method": "libvirt", "source.uri": "xenhost", "source.guest": "g" }, "source.uri", "Not a libvirt URI: it should look like xen+ssh://root@host/ or qemu+ssh://root@host/system."],
    ["missing guest", { "source.method": "libvirt", "source.uri": "qemu:///system", "source.guest": " " }, "source.guest", "Name the guest to convert."],
    ["bad output method", { "output.method": "vdsm" }, "output.method", "vdsm is not a valid output method."],
    ["output URI with local", { "output.method": "local", "output.storage": "/var/tmp", "output.uri": "qemu:///system" }, "output.uri", "An output URI (-oc) is only used with -o libvirt."],
    ["bad output URI", { "output.uri": "system" }, "output.uri", "Not a libvirt URI: it should look like qemu:///system."],
    ["no storage and no profile", { "output.storage": "" }, "output.storage", "Give the output storage (-os): a pool name for libvirt, a directory for local, an export domain for rhev; or pick a profile that supplies it."],
    ["local storage not absolute", { "output.method": "local", "output.storage": "out" }, "output.storage", "-o local writes to a directory: give its absolute path, not out."],
    ["pool name with a slash", { "output.storage": "/var/lib/libvirt/images" }, "output.storage", "Output pool /var/lib/libvirt/images is not a valid storage pool."],
    ["rhev storage", { "output.method": "rhev", "output.storage": "nfs-export" }, "output.storage", "-o rhev needs the export domain as host:/path or a mounted directory, not nfs-export."],
    ["format", { "output.format": "vmdk" }, "output.format", "We only support creation of raw and qcow2 format output files."],
    ["allocation", { "output.allocation": "thin" }, "output.allocation", "allocation scheme must be sparse or preallocated"],
    ["output name", { "output.name": "a b" }, "output.name", "The output name (-on) may not contain a slash or spaces."],
    ["unknown profile", { profile: "gold" }, "profile", "There is no profile named gold"],
    ["bad network value", { "network.0": "ok:fine", "network.1": ":" }, "network.1", "invalid -n/--network parameter"],
    ["duplicate network mapping", { "network.0": "a:b", "network.2": "a:c" }, "network.2", "duplicate -n/--network parameter.  Duplicate mappings specified for network a."],
    ["two defaults", { "bridge.0": ":br0", "bridge.1": "br1:" }, "bridge.1", "duplicate -b/--bridge parameter.  Only one default mapping is allowed."],
    ["network and bridge defaults", { "network.0": "default", "bridge.0": "br0" }, "bridge.0", "--network and --bridge are mutually exclusive"],
  ])("%s", (_name, fields, key, message) => {
    const errors = errorsOf(fields, ["rhel-pool"]);
    expect(Object.keys(errors)).toEqual([key]);
    expect(errors[key]![0]).toContain(message);
  });

  test("a broken XML's message names the line and column", () => {
    const errors = errorsOf({ "source.xml": "<domain type='xen'>\n  <name>x</name>\n  <memory>1\n</domain>" });
    expect(errors["source.xml"]![0]).toMatch(/^domain\.xml:\d+:\d+: /);
  });
});
