// `ferry plan` through the dispatcher: real qemu-img-made disks, domain XML files and
// --guest facts; the target read by the default reader (a directory, an export domain,
// libvirt's test driver through virsh) or an injected one.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test, vi } from "vitest";
import { runCli } from "../../../server/cli/dispatch.ts";
import { nodeIo, type CliIo } from "../../../server/cli/io.ts";
import { createPlanCommand } from "../../../server/cli/commands/plan.ts";
import { normalizePlanArgs } from "../../../server/cli/commands/plan-args.ts";
import { createDefaultReadTarget } from "../../../server/cli/commands/plan-target.ts";
import type { ConversionPlan, ResolvedPlanOutput } from "../../../server/v2v/index.ts";

vi.setConfig({ testTimeout: 30_000 });

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const FIX = join(ROOT, "test/fixtures/plan");
const DB = join(ROOT, "server/v2v/vendor/virt-v2v.db.xml");
const FACTS = join(FIX, "rhel54-xen-only.facts.json");
const KERNEL = "rhel/5/kernel-2.6.18-164.el5.x86_64.rpm";

type Captured = { io: CliIo; out: () => string; err: () => string };

function captured(): Captured {
  let out = "";
  let err = "";
  return {
    io: { ...nodeIo(), stdout: (t) => void (out += t), stderr: (t) => void (err += t) },
    out: () => out,
    err: () => err,
  };
}

async function ferry(...argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const c = captured();
  const status = await runCli(argv, { io: c.io, version: "test" });
  return { status, stdout: c.out(), stderr: c.err() };
}

let dir: string;
let xml: string;
let out: string;
let repo: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ferry-plan-"));
  out = join(dir, "out");
  repo = join(dir, "repo");
  mkdirSync(out);
  mkdirSync(join(repo, "rhel/5"), { recursive: true });
  writeFileSync(join(repo, KERNEL), "not really an rpm");
  execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", join(dir, "root.qcow2"), "1G"]);
  execFileSync("qemu-img", ["create", "-q", "-f", "raw", join(dir, "data.img"), "64M"]);
  xml = join(dir, "guest.xml");
  writeFileSync(
    xml,
    readFileSync(join(FIX, "rhel54-xen.xml"), "utf8").replace(
      /<disk type='file' device='disk'>[\s\S]*?<\/disk>/,
      `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${dir}/root.qcow2'/><target dev='xvda' bus='xen'/></disk>` +
        `<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${dir}/data.img'/><target dev='xvdb' bus='xen'/></disk>`,
    ),
  );
});

const planArgs = () => [
  "plan",
  "-f",
  join(FIX, "repo.conf"),
  "-f",
  DB,
  "-i",
  "libvirtxml",
  xml,
  "-o",
  "local",
  "-os",
  out,
  "--guest",
  FACTS,
  "--software-root",
  repo,
  "-n",
  "default",
];

describe("ferry plan -i libvirtxml -o local --guest", () => {
  test("prints the plan as JSON: disks measured with qemu-img, the kernel replaced, the XML inside", async () => {
    const r = await ferry(...planArgs());
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    const plan = JSON.parse(r.stdout) as ConversionPlan;
    expect(plan.output).toMatchObject({ method: "local", storage: out, name: "rhel54", xmlPath: `${out}/rhel54.xml`, formatFrom: "source" });
    expect(plan.disks.map((d) => [d.source.path, d.source.format, d.source.virtualSize, d.name, d.targetPath, d.targetDev, d.format])).toEqual([
      [`${dir}/root.qcow2`, "qcow2", 1024 ** 3, "rhel54-sda", `${out}/rhel54-sda`, "vda", "qcow2"],
      [`${dir}/data.img`, "raw", 64 * 1024 ** 2, "rhel54-sdb", `${out}/rhel54-sdb`, "vdb", "raw"],
    ]);
    // A fresh qcow2 holds a few hundred KiB of its 1 GiB: sparse, as the source is.
    expect(plan.disks[0]?.allocation).toBe("sparse");
    expect(plan.software?.kernel).toMatchObject({ name: "kernel", version: "2.6.18", release: "164.el5", replaces: "kernel-xen" });
    expect(plan.transferIso.entries).toEqual([{ isoPath: KERNEL, hostPath: join(repo, KERNEL), file: join(FIX, "repo.conf") }]);
    expect(plan.nics[0]).toMatchObject({ to: { type: "network", name: "default" }, rule: "default", defaultSource: "cli" });
    expect(plan.drivers).toMatchObject({ block: "virtio", net: "virtio" });
    expect(plan.domainXml).toContain(`<source file="${out}/rhel54-sdb"/>\n      <target dev="vdb" bus="virtio"/>`);
  });

  test("-of, -oa, -on and --domain-type reach the plan", async () => {
    const r = await ferry(...planArgs(), "-of", "raw", "-oa=preallocated", "-on", "converted", "--domain-type", "qemu");
    expect(r.status).toBe(0);
    const plan = JSON.parse(r.stdout) as ConversionPlan;
    expect(plan.disks.map((d) => [d.name, d.format, d.allocation])).toEqual([
      ["converted-sda", "raw", "preallocated"],
      ["converted-sdb", "raw", "preallocated"],
    ]);
    expect(plan.domainXml?.startsWith('<domain type="qemu">')).toBe(true);
    expect(plan.output.xmlPath).toBe(`${out}/converted.xml`);
  });

  test("the kernel RPM missing from the software root: exit 1 with virt-v2v's message", async () => {
    const r = await ferry(...planArgs().slice(0, -4), "--software-root", join(dir, "empty"), "-n", "default");
    expect(r).toEqual({
      status: 1,
      stdout: "",
      stderr: `Installation failed because the following files referenced in the configuration file are required, but missing: ${KERNEL}\n`,
    });
  });

  test("an output directory that does not exist: exit 1, said before anything is copied", async () => {
    const args = planArgs();
    args[args.indexOf(out)] = join(dir, "missing");
    expect(await ferry(...args)).toMatchObject({
      status: 1,
      stderr: `-os ${join(dir, "missing")}: output directory does not exist or is not a directory\n`,
    });
  });

  test("without --guest the disks are inspected (virt-inspector): a blank disk is virt-v2v's no-OS error, exit 1", async () => {
    const args = planArgs();
    args.splice(args.indexOf("--guest"), 2);
    const r = await ferry(...args);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("No root device found in this operating system image.");
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  }, 180_000);

  test("a profile replaces -o/-os: the archive profile's directory is checked, not -os", async () => {
    const r = await ferry(...planArgs(), "-f", join(FIX, "site.conf"), "-p", "archive");
    expect(r).toMatchObject({ status: 1, stderr: "-os /srv/archive: output directory does not exist or is not a directory\n" });
  });

  test("refusals and usage errors", async () => {
    expect(await ferry(...planArgs(), "-of", "vmdk")).toMatchObject({ status: 1, stderr: expect.stringContaining("Output format vmdk is not supported") });
    expect(await ferry(...planArgs(), "-p", "nope")).toMatchObject({ status: 1, stderr: "There is no profile named nope\n" });
    expect(await ferry("plan", "-f", DB, "-i", "libvirtxml", "-o", "local", "-os", out)).toMatchObject({ status: 2, stderr: expect.stringContaining("You must specify a filename") });
    expect(await ferry("plan", "-f", DB, "-i", "ova", "x.ova", "-os", out)).toMatchObject({ status: 2, stderr: expect.stringContaining("ova is not a valid input method.") });
    expect(await ferry("plan", "-f", DB, "-i", "libvirtxml", xml, "-os", out, "-o", "glance")).toMatchObject({ status: 1, stderr: "glance is not a valid output method.\n" });
    expect(await ferry("plan", "-f", DB, "-i", "libvirtxml", xml, "-o", "local")).toMatchObject({ status: 1, stderr: "You must specify an output storage location\n" });
    expect(await ferry("plan", "-f", DB, "-i", "libvirtxml", join(dir, "nope.xml"), "-o", "local", "-os", out, "--guest", FACTS)).toMatchObject({ status: 1 });
  });

  test("a disk qemu-img cannot read here (an ESX datastore path): exit 1 naming the disk", async () => {
    const r = await ferry("plan", "-f", DB, "-i", "libvirtxml", join(FIX, "esx-vmware.xml"), "-o", "local", "-os", out, "--guest", join(FIX, "esx.facts.json"));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^Unable to read disk sda \(\[datastore\] directory\/Fedora11\.vmdk\) on this host: /);
  });

  test("-i libvirt -ic URI GUEST reads the guest with virsh: a running guest is virt-v2v's refusal", async () => {
    // libvirt's test driver has one guest, "test", and it is running.
    expect(await ferry("plan", "-f", DB, "-ic", "test:///default", "test", "-o", "local", "-os", out, "--guest", FACTS)).toEqual({
      status: 1,
      stdout: "",
      stderr: "Guest test is currently running. It must be shut down first.\n",
    });
  });

  test("ferry --help lists plan; ferry plan --help shows virt-v2v's options", async () => {
    expect((await ferry("--help")).stdout).toContain("plan");
    const r = await ferry("plan", "--help");
    expect(r.status).toBe(0);
    for (const flag of ["-i libvirtxml", "-ic", "-oc", "-os", "-of", "-oa", "-on", "-p PROFILE", "--guest", "--software-root"]) expect(r.stdout).toContain(flag);
  });
});

describe("ferry plan -o libvirt: the target's pool and networks", () => {
  const output = (storage: string): ResolvedPlanOutput => ({
    method: "libvirt",
    uri: "test:///default",
    storage,
    format: undefined,
    formatFrom: "source",
    allocation: undefined,
    allocationFrom: "source",
    profile: undefined,
    warnings: [],
  });

  test("the default reader asks virsh: pool type and path, the networks, the domains", async () => {
    const read = createDefaultReadTarget();
    expect(await read(output("default-pool"))).toMatchObject({
      method: "libvirt",
      uri: "test:///default",
      storage: "default-pool",
      pool: { name: "default-pool", type: "dir", path: "/default-pool" },
      networks: ["default"],
      domains: ["test"],
    });
    await expect(read(output("nope"))).rejects.toThrow("Output pool nope is not a valid storage pool.");
  });

  test("through the command: volumes in the pool's directory; a pool the target lacks is virt-v2v's refusal", async () => {
    const c = captured();
    const plan = createPlanCommand();
    const args = ["-f", join(FIX, "repo.conf"), "-f", DB, "-i", "libvirtxml", xml, "-o", "libvirt", "-oc", "test:///default", "--guest", FACTS, "--software-root", repo, "-n", "default"];
    expect(await plan.run?.([...args, "-os", "default-pool"], c.io)).toBe(0);
    const parsed = JSON.parse(c.out()) as ConversionPlan;
    expect(parsed.output).toMatchObject({ method: "libvirt", uri: "test:///default", pool: { name: "default-pool", type: "dir", path: "/default-pool" } });
    expect(parsed.disks.map((d) => d.targetPath)).toEqual(["/default-pool/root.qcow2", "/default-pool/data.img"]);

    const bad = captured();
    expect(await plan.run?.([...args, "-os", "guests"], bad.io)).toBe(1);
    expect(bad.err()).toBe("Output pool guests is not a valid storage pool.\n");

    // libvirt's test driver defines a domain named "test".
    const exists = captured();
    expect(await plan.run?.([...args, "-os", "default-pool", "-on", "test"], exists.io)).toBe(1);
    expect(exists.err()).toBe("Domain test already exists on the target.\n");

    const noNet = captured();
    expect(await plan.run?.([...args.slice(0, -1), "lan", "-os", "default-pool"], noNet.io)).toBe(1);
    expect(noNet.err()).toContain("The target test:///default has no network lan");
  });

  test("an injected target reader and inspection replace the defaults", async () => {
    const c = captured();
    const plan = createPlanCommand({
      readTarget: async (o) => ({ method: "libvirt", uri: o.uri, storage: o.storage, pool: { name: o.storage, type: "dir", path: "/pools/x" } }),
      inspect: async () => JSON.parse(readFileSync(FACTS, "utf8")),
    });
    const args = ["-f", join(FIX, "repo.conf"), "-f", DB, "-i", "libvirtxml", xml, "-o", "libvirt", "-os", "x", "--software-root", repo];
    expect(await plan.run?.(args, c.io)).toBe(0);
    const parsed = JSON.parse(c.out()) as ConversionPlan;
    expect(parsed.disks[0]?.targetPath).toBe("/pools/x/root.qcow2");
    expect(parsed.guest.facts.distro).toBe("rhel");
    // Inspection's facts do not come from --guest: rhel54's NIC is unmapped here.
    expect(c.err()).toContain("warning: No mapping found for bridge interface xenbr0");
  });
});

describe("ferry plan -o rhev: the export domain under the mounted path", () => {
  test("one storage domain attached to a data center: the plan uses it", async () => {
    const mount = mkdtempSync(join(tmpdir(), "ferry-rhev-"));
    const sd = "11111111-2222-3333-4444-555555555555";
    mkdirSync(join(mount, sd, "master", "vms"), { recursive: true });
    const r = await ferry(...planArgs().slice(0, 8), "-o", "rhev", "-os", mount, "--guest", FACTS, "--software-root", repo, "-n", "rhevm");
    expect(r.status).toBe(0);
    const plan = JSON.parse(r.stdout) as ConversionPlan;
    expect(plan.output.rhevDomain).toBe(sd);
    expect(plan.disks[0]?.targetPath).toMatch(new RegExp(`^${mount}/${sd}/images/[0-9a-f-]{36}/[0-9a-f-]{36}$`));
    expect(plan.disks[0]?.rhev?.meta).toContain(`DOMAIN=${sd}\n`);
    expect(plan.ovf?.path).toMatch(new RegExp(`^${mount}/${sd}/master/vms/([0-9a-f-]{36})/\\1\\.ovf$`));
  });

  test("no domain, a domain not attached, two domains: virt-v2v's messages", async () => {
    const mount = mkdtempSync(join(tmpdir(), "ferry-rhev-"));
    const args = () => [...planArgs().slice(0, 8), "-o", "rhev", "-os", mount, "--guest", FACTS, "--software-root", repo];
    expect(await ferry(...args())).toMatchObject({ status: 1, stderr: `${mount} does not contain an initialised storage domain.\n` });
    mkdirSync(join(mount, "11111111-2222-3333-4444-555555555555"));
    expect(await ferry(...args())).toMatchObject({
      status: 1,
      stderr: `${mount} has not been attached to a RHEV data center (11111111-2222-3333-4444-555555555555/master/vms does not exist).\n`,
    });
    mkdirSync(join(mount, "22222222-2222-3333-4444-555555555555"));
    expect(await ferry(...args())).toMatchObject({ status: 1, stderr: `${mount} contains multiple possible domains. It may only contain one.\n` });
  });
});

describe("helpers", () => {
  test("virt-v2v's single-dash words become long options", () => {
    expect(normalizePlanArgs(["-ic", "a", "-os=b", "-o", "local", "-on", "x", "--", "-os"])).toEqual(["--ic", "a", "--os=b", "-o", "local", "--on", "x", "--", "-os"]);
  });
});
