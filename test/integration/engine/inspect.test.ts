// The inspect stage against real virt-inspector: the synthetic RHEL 5.4 Xen guest and a blank
// disk. Each inspection is one libguestfs launch (15-45 s under emulation, more under load).
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createMemoryContext } from "../../../server/engine/context.ts";
import { INSPECT_STAGE, NoOperatingSystemError, inspectGuest } from "../../../server/engine/inspect.ts";
import { buildRhel5Guest, type Rhel5Guest } from "../../helpers/rhel5-guest.ts";
import { scratch } from "./helpers.ts";

// One libguestfs launch takes 15-45 s here, minutes when the machine is busy: a test may wait
// that long (not an assertion on speed, only how long before giving up).
const SLOW = 15 * 60_000;
const tmp = scratch("inspect");
let guest: Rhel5Guest;

beforeAll(async () => {
  guest = await buildRhel5Guest(join(tmp.dir, "guest"));
  if (guest.built) console.log(`rhel5 guest built in ${guest.buildMs} ms`);
}, SLOW);
afterAll(tmp.cleanup);

describe("inspectGuest", () => {
  test("the RHEL 5.4 Xen guest: linux rhel 5.4 x86_64, its packages with EVR, kernel-xen boots", async () => {
    const ctx = createMemoryContext({ scratchDir: tmp.dir });
    const started = Date.now();
    const facts = await inspectGuest(ctx, [{ path: guest.disk, format: "raw" }]);
    console.log(`inspect: ${Date.now() - started} ms`);
    expect(facts).toMatchObject({ os: "linux", distro: "rhel", major: "5", minor: "4", arch: "x86_64", hostname: "rhel54.example.com" });
    expect(facts.productName).toBe("Red Hat Enterprise Linux Server release 5.4 (Tikanga)");
    expect(facts.kernel).toEqual({ name: "kernel-xen", epoch: null, version: "2.6.18", release: "164.el5", arch: "x86_64", xen: true });
    expect(facts.packages.map((p) => p.name).sort()).toEqual(["bash", "ecryptfs-utils", "kernel-xen", "lvm2", "redhat-release"]);
    expect(facts.packages).toContainEqual({ name: "lvm2", epoch: null, version: "2.02.46", release: "8.el5", arch: "x86_64" });
    // The non-Xen kernel is not installed: it comes from a software repository.
    expect(facts.packages.some((p) => p.name === "kernel")).toBe(false);
    expect(ctx.lines[0]).toEqual({ level: "info", message: "Inspecting the source", stage: INSPECT_STAGE });
    expect(ctx.lines.map((l) => l.message)).toContain("Boot kernel: kernel-xen-2.6.18-164.el5.x86_64 (Xen)");
    const steps = ctx.events.map((e) => e.done);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(ctx.events.at(-1)).toMatchObject({ stage: INSPECT_STAGE, done: 3, total: 3, unit: "steps" });
  }, SLOW);

  test("a blank disk: virt-v2v's no-operating-system error, not a stack trace", async () => {
    const blank = join(tmp.dir, "blank.qcow2");
    execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", blank, "64M"]);
    const ctx = createMemoryContext({ scratchDir: tmp.dir });
    const error = await inspectGuest(ctx, [{ path: blank, format: "qcow2" }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoOperatingSystemError);
    expect((error as NoOperatingSystemError).code).toBe("NO_OPERATING_SYSTEM");
    expect((error as Error).message).toBe("No root device found in this operating system image.");
  }, SLOW);
});
