// -o local -os DIR: the disks the copy stage writes plus DIR/NAME.xml, and cleanup of both.
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createMemoryContext } from "../../../server/engine/context.ts";
import { copyDisks } from "../../../server/engine/copy.ts";
import { cleanupOutput, finishOutput, OutputError, prepareOutput } from "../../../server/engine/output.ts";
import type { ConversionPlan } from "../../../server/v2v/index.ts";
import { MiB, qemuImgCompare, qemuImgInfo, rawImage, scratch } from "./helpers.ts";
import { testPlan } from "./output-plan.ts";

const tmp = scratch("output-local");
const source = join(tmp.dir, "source.img");

beforeAll(() => rawImage(source, 32 * MiB, [[MiB, 2 * MiB]]));
afterAll(tmp.cleanup);

function ctx() {
  return createMemoryContext({ scratchDir: tmp.dir });
}

function outDir(label: string): string {
  const dir = join(tmp.dir, label);
  mkdirSync(dir);
  return dir;
}

function plan(name: string, dir: string): ConversionPlan {
  return testPlan({
    name,
    method: "local",
    storage: dir,
    disks: [
      { name: `${name}-sda`, targetPath: join(dir, `${name}-sda`), format: "qcow2" },
      { name: `${name}-sdb`, targetPath: join(dir, `${name}-sdb`), format: "qcow2" },
    ],
    format: "qcow2",
  });
}

function copy(c: ReturnType<typeof ctx>, p: ConversionPlan) {
  return copyDisks(
    c,
    p.disks.map((d) => ({ name: d.name, source, sourceFormat: "raw", target: d.targetPath })),
    { format: "qcow2", allocation: "sparse" },
  );
}

describe("-o local", () => {
  test("the disks and NAME.xml in the directory", async () => {
    const dir = outDir("ok");
    const p = plan("LocalGuest", dir);
    const c = ctx();
    const prepared = await prepareOutput(c, p);
    await copy(c, p);
    const result = await finishOutput(c, p, prepared);

    expect(readdirSync(dir).sort()).toEqual(["LocalGuest-sda", "LocalGuest-sdb", "LocalGuest.xml"]);
    expect(result).toMatchObject({ method: "local", name: "LocalGuest", xmlPath: join(dir, "LocalGuest.xml") });
    expect(readFileSync(join(dir, "LocalGuest.xml"), "utf8")).toBe(p.domainXml);
    for (const d of p.disks) {
      expect(qemuImgInfo(d.targetPath).format).toBe("qcow2");
      expect(qemuImgCompare(source, d.targetPath)).toBe(0);
    }
    expect(c.lines.map((l) => l.message)).toEqual(
      expect.arrayContaining([`Setting up the destination: -o local -os ${dir}`, "Creating output metadata", `Wrote ${join(dir, "LocalGuest.xml")}`]),
    );
  });

  test("a directory that does not exist: refused before the copy", async () => {
    const dir = join(tmp.dir, "absent");
    const error = await prepareOutput(ctx(), plan("G", dir)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputError);
    expect((error as Error).message).toBe(`-os ${dir}: output directory does not exist or is not a directory`);
  });

  test("a plan whose domain XML is broken: refused before the copy, saying where", async () => {
    const dir = outDir("broken");
    const p = { ...plan("Broken", dir), domainXml: "<domain type='qemu'>\n  <name>Broken</name>\n  <devices>\n</domain>\n" };
    const error = await prepareOutput(ctx(), p).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BAD_PLAN" });
    expect((error as Error).message).toMatch(/^The plan's output domain XML is not well-formed \(line 4, column \d+\): /);
    expect(readdirSync(dir)).toEqual([]);
  });

  test("a failure after the copy: the disks and the XML this run wrote are removed, an older disk stays", async () => {
    const dir = outDir("fail");
    const p = plan("FailGuest", dir);
    const older = p.disks[1]!.targetPath;
    rawImage(older, MiB, []);
    const c = ctx();
    const prepared = await prepareOutput(c, p);
    await copy(c, p);
    await finishOutput(c, p, prepared);
    // Say a later step failed: the agent cleans up what this conversion created.
    await cleanupOutput(c, p, prepared);
    expect(readdirSync(dir)).toEqual(["FailGuest-sdb"]);
    expect(qemuImgInfo(older).format).toBe("raw");
    expect(c.lines.map((l) => l.message)).toContain(`Automatically cleaning up volume FailGuest-sda (${join(dir, "FailGuest-sda")}).`);
    expect(existsSync(join(dir, "FailGuest.xml"))).toBe(false);
  });
});
