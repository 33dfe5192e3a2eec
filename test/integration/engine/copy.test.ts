import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createMemoryContext } from "../../../server/engine/context.ts";
import { COPY_STAGE, copyDisks, progressParser } from "../../../server/engine/copy.ts";
import { CancelledError, MissingToolsError } from "../../../server/engine/errors.ts";
import { GiB, MiB, processesMentioning, qemuImgCompare, qemuImgInfo, rawImage, scratch } from "./helpers.ts";

const tmp = scratch("copy");
const SIZE = 256 * MiB;
// 96 MiB of data in two runs; the rest is a hole.
const DATA: [number, number][] = [
  [0, 64 * MiB],
  [160 * MiB, 32 * MiB],
];
let source: string;

beforeAll(() => {
  source = join(tmp.dir, "guest-disk.img");
  rawImage(source, SIZE, DATA);
});
afterAll(tmp.cleanup);

function ctx() {
  return createMemoryContext({ scratchDir: tmp.dir });
}

describe("copyDisks", () => {
  test("raw -> qcow2: same contents, qcow2, same virtual size, holes stay holes", async () => {
    const c = ctx();
    const target = join(tmp.dir, "out.qcow2");
    const [result] = await copyDisks(c, [{ name: "guest-disk", source, sourceFormat: "raw", target }], {
      format: "qcow2",
      allocation: "sparse",
    });
    expect(result).toMatchObject({ name: "guest-disk", sourceFormat: "raw", format: "qcow2", virtualSize: SIZE, reused: false });
    const info = qemuImgInfo(target);
    expect(info.format).toBe("qcow2");
    expect(info["virtual-size"]).toBe(SIZE);
    expect(info["actual-size"]).toBeGreaterThanOrEqual(96 * MiB);
    expect(info["actual-size"]).toBeLessThan(128 * MiB);
    expect(qemuImgCompare(source, target)).toBe(0);
    expect(c.lines).toContainEqual({ level: "info", message: `Transferring storage volume guest-disk: ${SIZE} bytes`, stage: COPY_STAGE });
  });

  test.each([
    ["sparse", (actual: number) => actual < 128 * MiB],
    ["preallocated", (actual: number) => actual >= SIZE],
  ] as const)("raw -> raw %s: identical contents; allocation as asked", async (allocation, allocatedOk) => {
    const target = join(tmp.dir, `out-${allocation}.raw`);
    await copyDisks(ctx(), [{ name: "d", source, target }], { format: "raw", allocation });
    const info = qemuImgInfo(target);
    expect(info.format).toBe("raw");
    expect(info["virtual-size"]).toBe(SIZE);
    expect(allocatedOk(info["actual-size"])).toBe(true);
    expect(qemuImgCompare(source, target)).toBe(0);
  });

  test.each([["qcow2"], [undefined]])("a qcow2 source (format from the XML: %s) -> raw", async (sourceFormat) => {
    const qcow2 = join(tmp.dir, `src-${sourceFormat ?? "probed"}.qcow2`);
    execFileSync("qemu-img", ["convert", "-f", "raw", "-O", "qcow2", source, qcow2]);
    const target = join(tmp.dir, `from-qcow2-${sourceFormat ?? "probed"}.raw`);
    const [result] = await copyDisks(ctx(), [{ name: "q", source: qcow2, sourceFormat, target }], { format: "raw", allocation: "sparse" });
    expect(result).toMatchObject({ sourceFormat: "qcow2", virtualSize: SIZE });
    expect(qemuImgInfo(target).format).toBe("raw");
    expect(qemuImgCompare(source, target)).toBe(0);
  });

  test("progress: bytes of the virtual size, increasing, ending at 100%", async () => {
    const c = ctx();
    const second = join(tmp.dir, "second.img");
    rawImage(second, 64 * MiB, [[0, 8 * MiB]]);
    await copyDisks(
      c,
      [
        { name: "first", source, target: join(tmp.dir, "p1.qcow2") },
        { name: "second", source: second, target: join(tmp.dir, "p2.qcow2") },
      ],
      { format: "qcow2", allocation: "sparse" },
    );
    const done = c.events.map((e) => e.done);
    expect(c.events.length).toBeGreaterThan(2);
    expect(c.events.every((e) => e.stage === COPY_STAGE && e.unit === "bytes" && e.total === SIZE + 64 * MiB)).toBe(true);
    for (let i = 1; i < done.length; i++) expect(done[i]).toBeGreaterThan(done[i - 1] as number);
    expect(c.events.at(-1)).toMatchObject({ done: SIZE + 64 * MiB, item: "second" });
    expect(c.events.filter((e) => e.item === "first").at(-1)?.done).toBe(SIZE);
  });

  test("an existing target is reused with virt-v2v's warning, not overwritten", async () => {
    const c = ctx();
    const target = join(tmp.dir, "existing.raw");
    writeFileSync(target, "already here");
    const [result] = await copyDisks(c, [{ name: "XenGuest1", source, target }], { format: "raw", allocation: "sparse" });
    expect(result?.reused).toBe(true);
    expect(readFileSync(target, "utf8")).toBe("already here");
    expect(c.lines).toEqual([
      {
        level: "warn",
        message:
          "Storage volume XenGuest1 already exists on the target. NOT copying it again. Delete the volume and retry to copy again.",
        stage: COPY_STAGE,
      },
    ]);
  });

  test("cancel mid-copy kills qemu-img and removes the partial target", async () => {
    const big = join(tmp.dir, "big.img");
    rawImage(big, 2 * GiB, [
      [0, 512 * MiB],
      [GiB, 512 * MiB],
    ]);
    const c = ctx();
    const target = join(tmp.dir, "cancelled.qcow2");
    let percentAtCancel: number | undefined;
    const progress = c.progress;
    c.progress = (event) => {
      progress(event);
      if (percentAtCancel === undefined && event.done > 0) {
        percentAtCancel = (100 * event.done) / event.total;
        // The partial file exists while qemu-img runs.
        expect(existsSync(target)).toBe(true);
        c.cancel();
      }
    };
    const error = await copyDisks(c, [{ name: "big", source: big, target }], { format: "qcow2", allocation: "preallocated" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CancelledError);
    expect(percentAtCancel).toBeLessThan(100);
    expect(existsSync(target)).toBe(false);
    expect(processesMentioning(target)).toEqual([]);
    expect(c.lines.at(-1)?.message).toBe(`Copy cancelled: removed the partial volume big (${target})`);
  });

  test("no qemu-img on PATH: the error names qemu-utils", async () => {
    const error = await copyDisks(ctx(), [{ name: "d", source, target: join(tmp.dir, "never.raw") }], {
      format: "raw",
      allocation: "sparse",
      env: { PATH: "/nonexistent" },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingToolsError);
    expect((error as MissingToolsError).missing).toEqual([{ tool: "qemu-img", package: "qemu-utils" }]);
    expect(existsSync(join(tmp.dir, "never.raw"))).toBe(false);
  });
});

describe("progressParser", () => {
  test("reads qemu-img -p output split anywhere across chunks", () => {
    const seen: number[] = [];
    const feed = progressParser((p) => seen.push(p));
    const output = "    (0.00/100%)\r    (1.01/100%)\r    (50.50/100%)\r    (100.00/100%)\r\n";
    for (const chunk of [output.slice(0, 7), output.slice(7, 30), output.slice(30)]) feed(chunk);
    expect(seen).toEqual([0, 1.01, 50.5, 100]);
  });
});
