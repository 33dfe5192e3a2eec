// Installing software into a copied disk and converting it in place, with the real tools on the
// synthetic RHEL 5.4 Xen guest: its rpm database holds only kernel-xen; the non-Xen kernel
// comes from a software repository through the transfer ISO, and only once it is installed
// does virt-v2v-in-place find a virtio-capable kernel (pipeline.test.ts converts it). The tests run in order on one disk
// (each libguestfs launch costs 15-45 s under emulation, more under load).
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createMemoryContext } from "../../../server/engine/context.ts";
import { INSTALL_STAGE, InstallFailedError, installSoftware } from "../../../server/engine/install.ts";
import { buildTransferIso } from "../../../server/engine/transfer-iso.ts";
import { GuestSession } from "../../../server/engine/guest-session.ts";
import { parseConfig, planSoftware, type GuestFacts } from "../../../server/v2v/index.ts";
import { RHEL5_KERNEL_RPM, buildRhel5Guest, type Rhel5Guest } from "../../helpers/rhel5-guest.ts";
import { CancelledError } from "../../../server/engine/errors.ts";
import { processGroup, processesInGroup, processesMentioning, scratch } from "./helpers.ts";

// One libguestfs launch takes 15-45 s here, minutes when the machine is busy: a test may wait
// that long (not an assertion on speed, only how long before giving up).
const SLOW = 15 * 60_000;
const tmp = scratch("install");
const repo = join(tmp.dir, "repo");
const KERNEL_PATH = `rhel/5/${RHEL5_KERNEL_RPM}`;
const BROKEN_LVM2 = "rhel/5/lvm2-2.02.99-1.el5.x86_64.rpm";
let guest: Rhel5Guest;

const config = parseConfig(
  `<virt-v2v>
  <capability os='linux' distro='rhel' major='5' name='virtio'>
    <dep name='kernel' minversion='2.6.18-128.el5'/>
    <dep name='lvm2' minversion='2.02.40-6.el5'/>
    <dep name='selinux-policy-targeted' minversion='2.4.6-203.el5' ifinstalled='yes'/>
  </capability>
  <app os='linux' distro='rhel' major='5' arch='x86_64' name='kernel'>
    <path>${KERNEL_PATH}</path>
  </app>
  <app os='linux' distro='rhel' major='5' arch='x86_64' name='lvm2'>
    <path>${BROKEN_LVM2}</path>
  </app>
</virt-v2v>`,
  "site.conf",
);

/** What inspection reports for the guest (test/integration/engine/inspect.test.ts checks it). */
const facts: GuestFacts = {
  os: "linux",
  distro: "rhel",
  major: "5",
  minor: "4",
  arch: "x86_64",
  kernel: { name: "kernel-xen", epoch: null, version: "2.6.18", release: "164.el5", arch: "x86_64", xen: true },
  packages: [
    { name: "kernel-xen", epoch: null, version: "2.6.18", release: "164.el5", arch: "x86_64" },
    { name: "lvm2", epoch: null, version: "2.02.46", release: "8.el5", arch: "x86_64" },
  ],
  memoryKiB: 524288,
  vcpus: 1,
};

const plan = (f: GuestFacts) => planSoftware({ files: [config], facts: f, capability: "virtio", exists: existsSync, softwareRoot: repo });
const ctx = () => createMemoryContext({ scratchDir: tmp.dir });
let iso: string | undefined;

beforeAll(async () => {
  guest = await buildRhel5Guest(join(tmp.dir, "guest"));
  if (guest.built) console.log(`rhel5 guest built in ${guest.buildMs} ms`);
  mkdirSync(join(repo, "rhel/5"), { recursive: true });
  copyFileSync(guest.kernelRpm, join(repo, KERNEL_PATH));
  // Zeros: neither an RPM nor a package manifest (a text file would be read as a manifest).
  writeFileSync(join(repo, BROKEN_LVM2), Buffer.alloc(256));
  iso = (await buildTransferIso(ctx(), { files: [config], output: join(tmp.dir, "transfer.iso"), softwareRoot: repo }))?.path;
}, SLOW);
afterAll(tmp.cleanup);

describe("installSoftware", () => {
  test("a satisfied capability: nothing to install, the appliance is not used", async () => {
    const satisfied = plan({
      ...facts,
      kernel: { name: "kernel", epoch: null, version: "2.6.18", release: "164.el5", arch: "x86_64", xen: false },
    });
    expect(satisfied.satisfied).toBe(true);
    const c = ctx();
    // A session whose every use throws.
    const untouchable = new Proxy({}, { get: (_, name) => { throw new Error(`the session was used (${String(name)})`); } }) as GuestSession;
    const result = await installSoftware(c, untouchable, satisfied);
    expect(result).toEqual({ installed: [], upgraded: [] });
    expect(c.lines).toContainEqual({ level: "info", message: "The virtio capability is already satisfied: nothing to install", stage: INSTALL_STAGE });
  });
});

// Installing the planned kernel RPM from the transfer ISO, and the in-place conversion after it
// (virtio drivers, fstab, grub, console, modprobe.conf, initrd, the rpm database with both
// kernels and grub's new default read back by inspection) are checked on the pipeline's output
// disk by pipeline.test.ts, which runs the same stages in order: doing it here too would cost
// CI several more appliance launches.

describe("installSoftware failures", () => {
  test("rpm refusing a package: the failure names the step and carries rpm's output", async () => {
    const copy = await buildRhel5Guest(join(tmp.dir, "broken"), { name: "broken" });
    const software = plan({ ...facts, packages: [...facts.packages.filter((p) => p.name !== "lvm2"), { name: "lvm2", epoch: null, version: "2.02.30", release: "1.el5", arch: "x86_64" }] });
    expect(software.upgrade).toEqual(["lvm2"]);
    const c = ctx();
    const session = await GuestSession.open(c, [{ path: copy.disk, format: "raw" }], { iso });
    const error = await installSoftware(c, session, software).catch((e: unknown) => e);
    await session.dispose();
    expect(error).toBeInstanceOf(InstallFailedError);
    const message = (error as Error).message;
    expect(message).toContain(`Failed to install rpm -U ${BROKEN_LVM2} in the guest`);
    expect(message).toMatch(/not an rpm package/);
    expect(c.lines.some((l) => l.level === "error" && l.stage === INSTALL_STAGE)).toBe(true);
  }, SLOW);
});

describe("the appliance (GuestSession)", () => {
  test("cancelled while it starts: its guestfish and qemu are gone and the overlays removed; the source is untouched", async () => {
    const c = ctx();
    const before = statSync(guest.disk).mtimeMs;
    const session = await GuestSession.open(c, [{ path: guest.disk, format: "raw" }], { iso });
    const overlay = (session.overlays[0] as { path: string }).path;
    expect(existsSync(overlay)).toBe(true);
    const launching = session.launch().catch((e: unknown) => e);
    // The appliance's qemu has the overlay on its command line.
    let qemu: number | undefined;
    for (const until = Date.now() + 120_000; qemu === undefined && Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
      qemu = processesMentioning(overlay)[0];
    }
    expect(qemu, "the appliance's qemu started").toBeDefined();
    const group = processGroup(qemu as number) as number;
    expect(processesInGroup(group).length).toBeGreaterThanOrEqual(2); // the listening guestfish and qemu
    c.cancel();
    expect(await launching).toBeInstanceOf(CancelledError);
    expect(processesInGroup(group)).toEqual([]);
    expect(processesMentioning(overlay)).toEqual([]);
    expect(existsSync(overlay)).toBe(false);
    expect(statSync(guest.disk).mtimeMs).toBe(before);
  }, SLOW);

  test("its process killed with -9: the appliance does not outlive it", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "session-orphan.ts"), guest.disk, tmp.dir], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8");
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (c: string) => {
        out += c;
        if (out.includes("launched\n")) resolve();
      });
      child.on("exit", (code) => reject(new Error(`the session process exited (${code}) before its appliance ran: ${out}`)));
    });
    const overlay = out.split("\n")[0] as string;
    const qemu = processesMentioning(overlay)[0];
    expect(qemu, "the appliance's qemu runs").toBeDefined();
    const group = processGroup(qemu as number) as number;
    child.kill("SIGKILL");
    // The watcher polls every 2 s; wait for it (a minute at most).
    for (const until = Date.now() + 60_000; processesInGroup(group).length > 0 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 200));
    expect(processesInGroup(group)).toEqual([]);
    expect(processesMentioning(overlay)).toEqual([]);
  }, SLOW);
});
