// The console's side: the embedded agent (talking to the database directly) runs a conversion
// and every change reaches the publisher the console hooks Socket.IO into; stopping the console
// reports what it was running as interrupted; FERRY_EMBEDDED_AGENT=0 starts no agent.
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startConsoleAgents } from "../../../server/agents/embedded.ts";
import { publishedLines, setConversionPublisher, type ConversionUpdate } from "../../../server/agents/publish.ts";
import { copyRunner } from "../../../server/agents/runners.ts";
import type { Db } from "../../../server/db/client.ts";
import { freshDatabase } from "../db.ts";
import { GiB, MiB, processesMentioning, qemuImgCompare, rawImage, scratch } from "../engine/helpers.ts";
import { copyPlan, seedConversion, throttledSource, waitFor } from "./helpers.ts";

let prisma: Db;
const tmp = scratch("agents-embedded");
let sourceFile: string;
const sources: { stop: () => void }[] = [];

async function source(name: string): Promise<string> {
  const served = await throttledSource(sourceFile, path.join(tmp.dir, `${name}.sock`), "256M");
  sources.push(served);
  return served.url;
}

beforeAll(async () => {
  ({ prisma } = await freshDatabase("agents_embedded"));
  sourceFile = path.join(tmp.dir, "disk.img");
  rawImage(sourceFile, GiB, [[0, 192 * MiB]]);
  mkdirSync(path.join(tmp.dir, "out"));
});
afterAll(async () => {
  setConversionPublisher(undefined);
  for (const s of sources) s.stop();
  await prisma?.$disconnect();
  tmp.cleanup();
});

const row = (id: string) => prisma.conversion.findUniqueOrThrow({ where: { id }, include: { agent: true } });

describe("the embedded agent", () => {
  test("runs a queued conversion; status, log lines and progress all reach the publisher", async () => {
    const updates: ConversionUpdate[] = [];
    setConversionPublisher((u) => updates.push(u));
    const dataDir = path.join(tmp.dir, "data");
    const agents = await startConsoleAgents(prisma, { version: "test", dataDir, runner: copyRunner });
    try {
      const target = path.join(tmp.dir, "out", "one-sda.raw");
      const id = await seedConversion(prisma, { guestName: "one", plan: copyPlan([{ name: "one-sda", source: await source("one"), target }], { format: "raw", allocation: "sparse" }) });
      const done = await waitFor("the conversion to finish", async () => {
        const c = await row(id);
        return c.status === "succeeded" || c.status === "failed" ? c : undefined;
      });
      expect(done).toMatchObject({ status: "succeeded", attempt: 1 });
      expect(done.agent).toMatchObject({ kind: "embedded", name: `embedded@${os.hostname()}`, tokenId: null });
      expect(qemuImgCompare(sourceFile, target)).toBe(0);
      expect(readdirSync(path.join(dataDir, "scratch", `embedded@${os.hostname()}`))).toEqual([]);

      const mine = updates.filter((u) => "conversionId" in u && u.conversionId === id);
      expect(mine[0]).toMatchObject({ type: "status", status: "running", attempt: 1 });
      expect(mine.at(-1)).toMatchObject({ type: "status", status: "succeeded", attempt: 1 });
      const lines = mine.flatMap((u) => (u.type === "logs" ? publishedLines(u.columns) : []));
      expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i));
      expect(lines.map((l) => l.message)).toContain("Transferring storage volume one-sda: 1073741824 bytes");
      const progress = mine.flatMap((u) => (u.type === "progress" ? [u.progress] : []));
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.at(-1)).toMatchObject({ stage: "copy", done: GiB, total: GiB, unit: "bytes", item: "one-sda" });
    } finally {
      await agents.stop();
    }
  });

  test("stopping the console mid-copy reports the conversion interrupted; its qemu-img is gone", async () => {
    const agents = await startConsoleAgents(prisma, { version: "test", dataDir: path.join(tmp.dir, "data"), runner: copyRunner });
    const target = path.join(tmp.dir, "out", "two-sda.qcow2");
    const id = await seedConversion(prisma, { guestName: "two", plan: copyPlan([{ name: "two-sda", source: await source("two"), target }], { format: "qcow2", allocation: "sparse" }) });
    await waitFor("the copy to run", async () => ((await row(id)).status === "running" && processesMentioning(target).length > 0 ? true : undefined));
    await agents.stop();
    const c = await row(id);
    expect(c).toMatchObject({ status: "interrupted", errorCode: "AGENT_STOPPED", error: "The console stopped while its embedded agent was running this conversion." });
    expect(c.outputs).toMatchObject({ attempt: 1, paths: [target] });
    expect(processesMentioning(target)).toEqual([]);
  });

  test("FERRY_EMBEDDED_AGENT=0: no embedded agent registers", async () => {
    await prisma.agent.deleteMany({ where: { conversions: { none: {} } } });
    const before = await prisma.agent.count();
    process.env.FERRY_EMBEDDED_AGENT = "0";
    try {
      const agents = await startConsoleAgents(prisma, { version: "test", dataDir: path.join(tmp.dir, "data-off"), runner: copyRunner });
      await agents.stop();
    } finally {
      delete process.env.FERRY_EMBEDDED_AGENT;
    }
    expect(await prisma.agent.count()).toBe(before);
    expect(existsSync(path.join(tmp.dir, "data-off"))).toBe(false);
  });
});
