// The whole pipeline on the synthetic RHEL 5.4 Xen guest, with every real tool: the source XML,
// qemu-img info, the transfer ISO, inspection in the guestfish appliance, the plan (kernel-xen
// replaced by the repository's kernel RPM, virtio chosen); then, from that stored plan as a
// retry runs it: rpm -i in an appliance on overlays of the source, the copy of the overlays into
// a dir pool of a real libvirtd, virt-v2v-in-place, and `virsh define`. Then what a user would
// check: the defined domain, and fstab, grub, modprobe.conf and the rpm database inside the
// output disk. (A fresh run, inspection and install in one appliance, is cli/convert-local's.)
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createMemoryContext } from "../../../server/engine/context.ts";
import { inspectGuest } from "../../../server/engine/inspect.ts";
import { runPipeline, type PipelineJob } from "../../../server/engine/pipeline.ts";
import { MissingSoftwareError, parseConfig, type ConfigFile } from "../../../server/v2v/index.ts";
import { LIBVIRT_URI, createDirPool, ensureLibvirtd, poolVolumes, undefineDomains, virsh, type TestPool } from "../../helpers/libvirtd.ts";
import { RHEL5_KERNEL_PATH, buildRhel5Guest, readGuestFiles, rhel5SiteConf, type Rhel5Guest } from "../../helpers/rhel5-guest.ts";
import { scratch } from "./helpers.ts";

const tmp = scratch("pipeline");
const repo = join(tmp.dir, "repo");
const NAME = "ferry-pipeline-rhel54";
let guest: Rhel5Guest;
const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");
let pool: TestPool;

/** The team's layer, bound to a software repository (path-root) that holds the non-Xen kernel. */
function siteLayer(pathRoot: string): ConfigFile {
  return parseConfig(
    rhel5SiteConf({ pathRoot, extra: "<network type='bridge' name='xenbr0'><network type='network' name='default'/></network>" }),
    "Site",
  );
}

function job(overrides: Partial<PipelineJob["request"]> = {}, files = [siteLayer(repo)]): PipelineJob {
  return {
    request: { source: { method: "libvirtxml", file: guest.xml }, output: { method: "libvirt", uri: LIBVIRT_URI, storage: pool.name, format: "qcow2" }, ...overrides },
    files,
    domainType: "qemu",
  };
}

beforeAll(async () => {
  await ensureLibvirtd();
  guest = await buildRhel5Guest(join(tmp.dir, "guest"), { name: NAME });
  mkdirSync(join(repo, "rhel/5"), { recursive: true });
  copyFileSync(guest.kernelRpm, join(repo, RHEL5_KERNEL_PATH));
  pool = createDirPool(LIBVIRT_URI, "ferry-pipeline");
  undefineDomains(LIBVIRT_URI, NAME);
}, 900_000);

afterAll(() => {
  undefineDomains(LIBVIRT_URI, NAME);
  pool?.destroy();
  tmp.cleanup();
});

// The dry run's plan: the conversion starts from it, as an operator starts a planned dry run
// (and a retry reuses its stored plan), so the guest is inspected once for both.
let planned: PipelineJob["plan"];

describe("the RHEL 5.4 Xen guest to KVM under libvirt", () => {
  test("a dry run stops after the plan: kernel replaced, virtio, the NIC mapped by the Site layer, nothing written", async () => {
    const ctx = createMemoryContext({ scratchDir: join(tmp.dir, "dry") });
    const result = await runPipeline(ctx, job({ dryRun: true }));
    expect(result.status).toBe("planned");
    const { plan } = result;
    expect(plan.guest).toMatchObject({ name: NAME, arch: "x86_64" });
    expect(plan.guest.facts).toMatchObject({ distro: "rhel", major: "5", minor: "4", kernel: { name: "kernel-xen", xen: true } });
    expect(plan.drivers).toMatchObject({ block: "virtio", net: "virtio" });
    expect(plan.software?.kernel).toMatchObject({ name: "kernel", replaces: "kernel-xen" });
    expect(plan.software?.files.map((f) => [f.path, f.missing])).toEqual([[RHEL5_KERNEL_PATH, false]]);
    expect(plan.nics).toEqual([expect.objectContaining({ mac: guest.mac, from: { type: "bridge", name: "xenbr0" }, to: { type: "network", name: "default" }, rule: "config", file: "Site", model: "virtio" })]);
    expect(plan.disks).toHaveLength(1);
    expect(plan.disks[0]).toMatchObject({ format: "qcow2", bus: "virtio", targetDev: "vda" });
    expect(plan.disks[0]!.targetPath.startsWith(pool.path)).toBe(true);
    expect(plan.domainXml).toMatch(/<source network=["']default["']\/>/);
    expect(poolVolumes(LIBVIRT_URI, pool.name)).toEqual([]);
    expect(ctx.lines.map((l) => l.message)).toContain("Inspecting the source");
    planned = plan;
  }, 600_000);

  test("a kernel the repository lacks fails at the plan, with virt-v2v's message, before any copy", async () => {
    const ctx = createMemoryContext({ scratchDir: join(tmp.dir, "missing") });
    const error = await runPipeline(ctx, job({}, [siteLayer(join(tmp.dir, "empty-repo"))])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingSoftwareError);
    expect((error as Error).message).toContain(RHEL5_KERNEL_PATH);
    expect(poolVolumes(LIBVIRT_URI, pool.name)).toEqual([]);
    expect(virsh(LIBVIRT_URI, "list", "--all", "--name")).not.toContain(NAME);
  }, 600_000);

  test("the planned dry run started: the guest is defined in libvirt, its disk converted, the kernel installed", async () => {
    expect(planned, "the dry run above made the plan").toBeDefined();
    const ctx = createMemoryContext({ scratchDir: join(tmp.dir, "run") });
    const sourceSum = sha256(guest.disk);
    const started = Date.now();
    const result = await runPipeline(ctx, { ...job(), plan: planned });
    console.log(`pipeline from the dry run's plan (ISO, copy, install, convert, define): ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(result.status).toBe("succeeded");
    if (result.status !== "succeeded") return;
    expect(result.result.installed).toEqual([RHEL5_KERNEL_PATH]);
    expect(result.result.drivers).toMatchObject({ block: "virtio-blk", net: "virtio-net" });
    const stages = new Set(ctx.lines.map((l) => l.stage));
    for (const s of ["transfer-iso", "copy", "install", "convert", "output"]) expect(stages).toContain(s);
    for (const s of ["source", "inspect", "plan"]) expect(stages).not.toContain(s); // the plan was not made again

    // The defined domain: its disk is the pool's volume, virtio, and the NIC on the mapped network.
    const xml = virsh(LIBVIRT_URI, "dumpxml", NAME);
    const disk = result.plan.disks[0]!;
    expect(xml).toContain(`<source file='${disk.targetPath}'`);
    expect(xml).toMatch(/<target dev='vda' bus='virtio'\/>/);
    expect(xml).toContain(`<mac address='${guest.mac}'/>`);
    expect(xml).toMatch(/<source network=["']default["']\/>/);
    expect(xml).toMatch(/<model type='virtio'\/>/);
    expect(poolVolumes(LIBVIRT_URI, pool.name)).toContain(disk.name);

    // Inside the converted disk.
    const files = await readGuestFiles(disk.targetPath, "qcow2", ["/etc/fstab", "/boot/grub/grub.conf", "/etc/modprobe.conf", "/boot/initrd-2.6.18-164.el5.img", "/etc/inittab"]);
    expect(files["/etc/fstab"]).toMatch(/^\/dev\/vda1\s+\/\s+ext4/m);
    expect(files["/etc/fstab"]).not.toContain("xvda");
    const grub = files["/boot/grub/grub.conf"] ?? "";
    expect(grub).toContain("kernel /boot/vmlinuz-2.6.18-164.el5 ro root=/dev/vda1 console=ttyS0");
    expect(grub).not.toContain("console=xvc0");
    expect(grub).toMatch(/^default=1$/m); // the installed kernel's entry boots
    expect(files["/etc/modprobe.conf"]).toMatch(/^alias eth0 virtio_net$/m);
    expect(files["/etc/modprobe.conf"]).toMatch(/^alias scsi_hostadapter virtio_blk$/m);
    expect(files["/boot/initrd-2.6.18-164.el5.img"]).toContain("--with=virtio_blk");
    expect(files["/etc/inittab"]).toContain("agetty ttyS0");
    expect(ctx.lines).toContainEqual({ level: "info", message: "Drivers installed: block virtio-blk, network virtio-net", stage: "convert" });
    const after = await inspectGuest(createMemoryContext({ scratchDir: tmp.dir }), [{ path: disk.targetPath, format: "qcow2" }]);
    expect(after.packages).toContainEqual({ name: "kernel", epoch: null, version: "2.6.18", release: "164.el5", arch: "x86_64" });
    expect(after.packages.some((p) => p.name === "kernel-xen")).toBe(true); // installed alongside
    expect(after.kernel).toMatchObject({ name: "kernel", xen: false }); // grub's default, read by inspection

    // The source disk is untouched (the conversion worked on the copy).
    expect(sha256(guest.disk)).toBe(sourceSum);
  }, 1_800_000);
});
