// -o rhev -os PATH: the export-domain layout (images/IMAGE/VOLUME + .meta, master/vms/VM/VM.ovf)
// under a directory laid out as an attached, mounted export domain.
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createMemoryContext } from "../../../server/engine/context.ts";
import { copyDisks } from "../../../server/engine/copy.ts";
import { CancelledError } from "../../../server/engine/errors.ts";
import { cleanupOutput, finishOutput, OutputError, prepareOutput } from "../../../server/engine/output.ts";
import type { ConversionPlan } from "../../../server/v2v/index.ts";
import { MiB, qemuImgCompare, qemuImgInfo, rawImage, scratch } from "./helpers.ts";
import { testPlan } from "./output-plan.ts";

const tmp = scratch("output-rhev");
const source = join(tmp.dir, "source.img");
const SD = "11111111-2222-4333-8444-555555555555";
const VM = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const DISKS = [
  { image: "0a0a0a0a-0000-4000-8000-00000000000a", volume: "0b0b0b0b-0000-4000-8000-00000000000b", format: "raw" as const },
  { image: "0c0c0c0c-0000-4000-8000-00000000000c", volume: "0d0d0d0d-0000-4000-8000-00000000000d", format: "qcow2" as const },
];
const SIZE = 24 * MiB + 512;

beforeAll(() => rawImage(source, SIZE, [[0, MiB]]));
afterAll(tmp.cleanup);

function ctx() {
  return createMemoryContext({ scratchDir: tmp.dir });
}

/** A mounted export domain: SD/dom_md, SD/images, SD/master/vms. */
function exportDomain(label: string): string {
  const root = join(tmp.dir, label);
  for (const sub of ["dom_md", "images", "master/vms"]) mkdirSync(join(root, SD, sub), { recursive: true });
  return root;
}

function ovf(name: string): string {
  return `<?xml version='1.0' encoding='utf-8'?>
<ovf:Envelope xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1/" ovf:version="0.9">
  <References>${DISKS.map((d) => `<File ovf:href="${d.image}/${d.volume}" ovf:id="${d.volume}"/>`).join("")}</References>
  <Content ovf:id="out"><Name>${name}</Name><Description>Imported with virt-v2v</Description></Content>
</ovf:Envelope>
`;
}

function plan(root: string): ConversionPlan {
  return testPlan({
    name: "RhevGuest",
    method: "rhev",
    storage: root,
    disks: DISKS.map((d, i) => ({
      name: `RhevGuest-disk${i + 1}`,
      targetPath: join(root, SD, "images", d.image, d.volume),
      format: d.format,
      allocation: "sparse",
      rhev: { imageId: d.image, volumeId: d.volume },
    })),
    ovf: { vmId: VM, xml: ovf("RhevGuest") },
  });
}

async function copy(c: ReturnType<typeof ctx>, p: ConversionPlan) {
  for (const d of p.disks) {
    await copyDisks(c, [{ name: d.name, source, sourceFormat: "raw", target: d.targetPath }], { format: d.format, allocation: d.allocation });
  }
}

function meta(path: string): Record<string, string> {
  const lines = readFileSync(path, "utf8").split("\n");
  expect(lines.at(-2)).toBe("EOF");
  return Object.fromEntries(lines.filter((l) => l.includes("=")).map((l) => l.split("=", 2) as [string, string]));
}

describe("-o rhev", () => {
  test("images/IMAGE/VOLUME with .meta files and master/vms/VM/VM.ovf", async () => {
    const root = exportDomain("ok");
    const p = plan(root);
    const c = ctx();
    const prepared = await prepareOutput(c, p);
    await copy(c, p);
    const result = await finishOutput(c, p, prepared);

    const ovfPath = join(root, SD, "master", "vms", VM, `${VM}.ovf`);
    expect(result).toMatchObject({ method: "rhev", name: "RhevGuest", ovfPath });
    expect(readFileSync(ovfPath, "utf8")).toBe(p.ovf?.xml);
    expect(readdirSync(join(root, SD, "master", "vms", VM))).toEqual([`${VM}.ovf`]);
    expect(readdirSync(join(root, SD, "images")).sort()).toEqual(DISKS.map((d) => d.image).sort());

    for (const d of DISKS) {
      const volume = join(root, SD, "images", d.image, d.volume);
      expect(readdirSync(join(root, SD, "images", d.image)).sort()).toEqual([d.volume, `${d.volume}.meta`]);
      expect(qemuImgInfo(volume).format).toBe(d.format);
      expect(qemuImgCompare(source, volume)).toBe(0);
      const m = meta(`${volume}.meta`);
      expect(m).toMatchObject({
        DOMAIN: SD,
        VOLTYPE: "LEAF",
        FORMAT: d.format === "raw" ? "RAW" : "COW",
        IMAGE: d.image,
        DISKTYPE: "1",
        PUUID: "00000000-0000-0000-0000-000000000000",
        LEGALITY: "LEGAL",
        POOL_UUID: "00000000-0000-0000-0000-000000000000",
        SIZE: String(SIZE / 512),
        TYPE: "SPARSE",
        DESCRIPTION: "Exported by virt-v2v",
      });
      expect(Number(m.CTIME)).toBeGreaterThan(1_700_000_000);
      expect(m.MTIME).toBe(m.CTIME);
      if (process.getuid?.() === 0) {
        for (const path of [volume, `${volume}.meta`, join(root, SD, "images", d.image), ovfPath]) {
          expect([statSync(path).uid, statSync(path).gid]).toEqual([36, 36]);
        }
      }
    }
    expect(result.metaPaths).toEqual(p.disks.map((d) => `${d.targetPath}.meta`));
  });

  test("the VM's OVF directory exists already: refused before any image directory is made", async () => {
    const root = exportDomain("ovf-exists");
    mkdirSync(join(root, SD, "master", "vms", VM));
    const error = await prepareOutput(ctx(), plan(root)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputError);
    expect((error as Error).message).toBe(`Failed to create directory ${join(root, SD, "master", "vms", VM)}: File exists`);
    expect(readdirSync(join(root, SD, "images"))).toEqual([]);
  });

  test("an export domain that is not attached: virt-v2v's refusal, nothing written", async () => {
    const root = join(tmp.dir, "detached");
    mkdirSync(join(root, SD, "dom_md"), { recursive: true });
    const error = await prepareOutput(ctx(), plan(root)).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`${root} has not been attached to a RHEV data center (${SD}/master/vms does not exist).`);
    expect(readdirSync(join(root, SD))).toEqual(["dom_md"]);
  });

  test("cancelled after the copy: image directories, volumes and the OVF are all gone", async () => {
    const root = exportDomain("cancel");
    writeFileSync(join(root, SD, "images", "keep-me"), "an older file");
    const p = plan(root);
    const c = ctx();
    const prepared = await prepareOutput(c, p);
    await copy(c, p);
    c.cancel();
    await expect(finishOutput(c, p, prepared)).rejects.toBeInstanceOf(CancelledError);
    await cleanupOutput(c, p, prepared);
    expect(readdirSync(join(root, SD, "images"))).toEqual(["keep-me"]);
    expect(existsSync(join(root, SD, "master", "vms", VM))).toBe(false);
    expect(c.lines.map((l) => l.message)).toContain(
      `Automatically cleaning up volume images/${DISKS[0]!.image}/${DISKS[0]!.volume} from ${join(root, SD)}.`,
    );
  });
});
