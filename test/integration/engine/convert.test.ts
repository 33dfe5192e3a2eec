// The convert stage on the RHEL 5.4 Xen guest as built (only kernel-xen installed: no
// virtio-capable kernel, so virt-v2v falls back to IDE and e1000, and says so), and cancelling
// it mid-way: virt-v2v-in-place and everything it started (nbdkit, the appliance's qemu) are
// killed, the promise settles with CancelledError, and the generated input XML is removed.
// install-convert.test.ts converts the guest once the kernel RPM is installed.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createMemoryContext } from "../../../server/engine/context.ts";
import { CONVERT_STAGE, convertInPlace } from "../../../server/engine/convert.ts";
import { CancelledError } from "../../../server/engine/errors.ts";
import { buildRhel5Guest, type Rhel5Guest } from "../../helpers/rhel5-guest.ts";
import { processGroup, processesInGroup, processesMentioning, scratch } from "./helpers.ts";

// One libguestfs launch takes 15-45 s here, minutes when the machine is busy: a test may wait
// that long (not an assertion on speed, only how long before giving up).
const SLOW = 15 * 60_000;
const tmp = scratch("convert");
let guest: Rhel5Guest;

beforeAll(async () => {
  guest = await buildRhel5Guest(join(tmp.dir, "guest"), { name: "cancelme" });
}, SLOW);
afterAll(tmp.cleanup);

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return "";
  }
}

test("cancel while virt-v2v-in-place runs the appliance: the tool and its children are gone", async () => {
  const c = createMemoryContext({ scratchDir: tmp.dir });
  let settled = false;
  const running = convertInPlace(c, { guestName: guest.name, disks: [{ path: guest.disk, format: "raw", dev: "xvda" }] })
    .catch((e: unknown) => e)
    .finally(() => (settled = true));
  // Wait until it is really working (the appliance's qemu is running in its group and the disk is
  // open), then cancel. On a fresh machine libguestfs first runs qemu-system to probe its
  // features (no disk on that command line): that alone is not the appliance at work.
  let group: number | undefined;
  const working = () => group !== undefined && processesInGroup(group).some((pid) => cmdline(pid).includes("qemu-system")) && processesMentioning(guest.disk).length > 0;
  while (!working()) {
    if (settled) throw new Error(`virt-v2v-in-place ended before it was cancelled: ${String(await running)}`);
    await new Promise((r) => setTimeout(r, 200));
    // This conversion's virt-v2v-in-place (by its input XML): the other guest group may be running one too.
    const pid = processesMentioning(join(tmp.dir, `${guest.name}-in-place.xml`)).find((p) => cmdline(p).includes("virt-v2v-in-place"));
    group = pid === undefined ? undefined : processGroup(pid);
  }
  const cancelledAt = Date.now();
  c.cancel();
  const error = await running;
  console.log(`convert cancel settled in ${Date.now() - cancelledAt} ms`);
  expect(error).toBeInstanceOf(CancelledError);
  expect(processesInGroup(group!)).toEqual([]);
  expect(processesMentioning(guest.disk)).toEqual([]);
  expect(processesMentioning(join(tmp.dir, `${guest.name}-in-place.xml`))).toEqual([]);
  expect(readdirSync(tmp.dir).filter((f) => f.endsWith("-in-place.xml"))).toEqual([]);
  expect(existsSync(guest.disk)).toBe(true);
}, SLOW);

test("without a virtio-capable kernel: the IDE and e1000 fallback, said plainly", async () => {
  const copy = await buildRhel5Guest(join(tmp.dir, "plain"), { name: "xenonly" });
  const c = createMemoryContext({ scratchDir: tmp.dir });
  const started = Date.now();
  const result = await convertInPlace(c, { guestName: copy.name, disks: [{ path: copy.disk, format: "raw", dev: "xvda" }] });
  console.log(`convert (fallback): ${Date.now() - started} ms`);
  expect(result.drivers).toEqual({ block: "ide", net: "e1000" });
  expect(result.messages).toContain("This guest does not have virtio drivers installed.");
  expect(c.lines).toContainEqual({
    level: "info",
    message: "Drivers: block ide (no virtio block driver in the guest: IDE fallback), network e1000 (no virtio network driver in the guest: e1000 fallback)",
    stage: CONVERT_STAGE,
  });
}, SLOW);
