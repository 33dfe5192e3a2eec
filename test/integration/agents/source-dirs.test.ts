// The agents' allow-list of source directories: local source disks are read only under the
// directories the operator configured (none by default), symlinks resolved first; remote sources
// are not paths and pass; `ferry convert` (the operator's own command, no agent) is not limited.
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startConsoleAgents } from "../../../server/agents/embedded.ts";
import { copyRunner } from "../../../server/agents/runners.ts";
import { createAgentToken } from "../../../server/agents/tokens.ts";
import { createMemoryContext } from "../../../server/engine/context.ts";
import { runPipeline } from "../../../server/engine/pipeline.ts";
import { assertSourcesAllowed, SourceNotAllowedError } from "../../../server/engine/source-dirs.ts";
import type { Db } from "../../../server/db/client.ts";
import { freshDatabase } from "../db.ts";
import { MiB, processesMentioning, qemuImgCompare, rawImage, scratch } from "../engine/helpers.ts";
import { ADMIN, copyPlan, seedConversion, serveAgentApi, spawnAgent, waitFor, type AgentChild } from "./helpers.ts";

const tmp = scratch("agents-srcdirs");
const allowed = () => path.join(tmp.dir, "allowed");
const outside = () => path.join(tmp.dir, "outside");
let prisma: Db;
let api: { url: string; close: () => Promise<void> };
let secret: string;
const children: AgentChild[] = [];

beforeAll(async () => {
  ({ prisma } = await freshDatabase("agents_source_dirs"));
  api = await serveAgentApi(prisma);
  secret = (await createAgentToken(prisma, ADMIN, { name: "source dirs" })).secret;
  for (const d of [allowed(), outside(), path.join(tmp.dir, "out")]) mkdirSync(d, { recursive: true });
  rawImage(path.join(allowed(), "disk.img"), 16 * MiB, [[0, 4 * MiB]]);
  rawImage(path.join(outside(), "secret.img"), 16 * MiB, [[0, 4 * MiB]]);
  // A link inside the allowed directory that points out of it.
  symlinkSync(path.join(outside(), "secret.img"), path.join(allowed(), "escape.img"));
});
afterAll(async () => {
  for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill("SIGKILL");
  await api?.close();
  await prisma?.$disconnect();
  tmp.cleanup();
});

const finished = (id: string) =>
  waitFor(`conversion ${id} to finish`, async () => {
    const c = await prisma.conversion.findUniqueOrThrow({ where: { id } });
    return c.status === "queued" || c.status === "running" ? undefined : c;
  });

describe("assertSourcesAllowed", () => {
  test("allows paths under a directory, refuses `..`, symlinks out, and everything when none is configured", async () => {
    await expect(assertSourcesAllowed([path.join(allowed(), "disk.img")], [allowed()])).resolves.toBeUndefined();
    // Not there yet is judged by where it would be.
    await expect(assertSourcesAllowed([path.join(allowed(), "new", "disk.img")], [allowed()])).resolves.toBeUndefined();
    const dotdot = `${allowed()}/../outside/secret.img`;
    await expect(assertSourcesAllowed([dotdot], [allowed()])).rejects.toThrow(`Source disk ${dotdot} (which is ${path.join(outside(), "secret.img")}) is not in a directory this agent may read: this agent reads source disks only under ${allowed()}.`);
    const escape = path.join(allowed(), "escape.img");
    const e = await assertSourcesAllowed([escape], [allowed()]).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SourceNotAllowedError);
    expect((e as Error).message).toContain(`${escape} (which is ${path.join(outside(), "secret.img")})`);
    // A directory that is itself a link is resolved too: the link's target counts.
    symlinkSync(allowed(), path.join(tmp.dir, "allowed-link"));
    await expect(assertSourcesAllowed([path.join(allowed(), "disk.img")], [path.join(tmp.dir, "allowed-link")])).resolves.toBeUndefined();
    // `/srv/allowed-other` is not under `/srv/allowed`.
    await expect(assertSourcesAllowed([`${allowed()}-other/disk.img`], [allowed()])).rejects.toThrow(SourceNotAllowedError);
    await expect(assertSourcesAllowed(["/etc/shadow"], [])).rejects.toThrow("Source disk /etc/shadow is not in a directory this agent may read: this agent has no source directories configured. Allow its directory with FERRY_SOURCE_DIRS");
    // Remote sources are URIs, not local paths; undefined = unrestricted (ferry convert).
    await expect(assertSourcesAllowed(["nbd+unix:///?socket=/tmp/x.sock", "ssh://root@host/var/lib/xen/images/a.img"], [])).resolves.toBeUndefined();
    await expect(assertSourcesAllowed(["/etc/shadow"], undefined)).resolves.toBeUndefined();
  });
});

describe("the pipeline on an agent", () => {
  test("refuses a domain XML whose disk is outside the allow-list at the source stage, before any tool reads it", async () => {
    const xml = path.join(tmp.dir, "guest.xml");
    const disk = path.join(outside(), "secret.img");
    writeFileSync(xml, `<domain type='kvm'><name>nosy</name><memory>524288</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices><disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${disk}'/><target dev='vda' bus='virtio'/></disk></devices></domain>`);
    const ctx = createMemoryContext({ scratchDir: path.join(tmp.dir, "pipeline-scratch") });
    const error = await runPipeline(ctx, { request: { source: { method: "libvirtxml", file: xml }, output: { method: "local", storage: path.join(tmp.dir, "out") }, dryRun: true }, files: [], sourceDirs: [allowed()] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceNotAllowedError);
    expect((error as Error).message).toBe(`Source disk ${disk} is not in a directory this agent may read: this agent reads source disks only under ${allowed()}. Allow its directory with FERRY_SOURCE_DIRS (the console's agent, colon-separated) or \`ferry agent --source-dir DIR\`.`);
    // The source was read (its XML), nothing after: no qemu-img info, no inspection.
    expect(ctx.lines.map((l) => l.stage)).toEqual(["source", "source"]);
  });
});

describe("ferry agent --source-dir", () => {
  function agent(name: string, extra: string[]): AgentChild {
    const a = spawnAgent(["--server", api.url, "--token", secret, "--name", name, "--scratch", path.join(tmp.dir, "scratch"), ...extra]);
    children.push(a);
    return a;
  }

  test("without it a local disk is refused, naming the disk and the flag; with it the same conversion copies; a symlink out stays refused", async () => {
    const target = path.join(tmp.dir, "out", "plain-sda.raw");
    const disk = path.join(allowed(), "disk.img");
    const refused = await seedConversion(prisma, { guestName: "plain", plan: copyPlan([{ name: "plain-sda", source: disk, target }], { format: "raw", allocation: "sparse" }) });
    const none = agent("no-dirs", []);
    const failed = await finished(refused);
    expect(failed).toMatchObject({ status: "failed", errorCode: "SOURCE_NOT_ALLOWED" });
    expect(failed.error).toBe(`Source disk ${disk} is not in a directory this agent may read: this agent has no source directories configured. Allow its directory with \`ferry agent --source-dir DIR\` (repeatable) on this agent's host.`);
    expect(none.output()).toContain("no source directories configured: local source disks are refused (remote sources only)");
    expect(processesMentioning(target)).toEqual([]);
    none.child.kill("SIGTERM");
    await none.exited;

    const ok = await seedConversion(prisma, { guestName: "plain2", plan: copyPlan([{ name: "plain-sda", source: disk, target }], { format: "raw", allocation: "sparse" }) });
    const escaped = path.join(allowed(), "escape.img");
    const sneaky = await seedConversion(prisma, { guestName: "sneaky", plan: copyPlan([{ name: "sneaky-sda", source: escaped, target: path.join(tmp.dir, "out", "sneaky-sda.raw") }], { format: "raw", allocation: "sparse" }) });
    const allowedAgent = agent("with-dirs", ["--source-dir", allowed(), "--source-dir", path.join(tmp.dir, "other")]);
    expect(await finished(ok)).toMatchObject({ status: "succeeded" });
    expect(qemuImgCompare(disk, target)).toBe(0);
    const s = await finished(sneaky);
    expect(s).toMatchObject({ status: "failed", errorCode: "SOURCE_NOT_ALLOWED" });
    expect(s.error).toContain(`Source disk ${escaped} (which is ${path.join(outside(), "secret.img")}) is not in a directory this agent may read: this agent reads source disks only under ${allowed()}, ${path.join(tmp.dir, "other")}.`);
    expect(allowedAgent.output()).toContain(`local source disks are read only under ${allowed()}, ${path.join(tmp.dir, "other")}`);
    allowedAgent.child.kill("SIGTERM");
    await allowedAgent.exited;
  });
});

describe("the console's embedded agent", () => {
  test("reads FERRY_SOURCE_DIRS (colon-separated); unset, it refuses and says where to set it", async () => {
    const disk = path.join(allowed(), "disk.img");
    const run = async (dirs: string | undefined, name: string) => {
      const saved = process.env.FERRY_SOURCE_DIRS;
      if (dirs === undefined) delete process.env.FERRY_SOURCE_DIRS;
      else process.env.FERRY_SOURCE_DIRS = dirs;
      const agents = await startConsoleAgents(prisma, { version: "test", dataDir: path.join(tmp.dir, `data-${name}`), runner: copyRunner });
      try {
        const id = await seedConversion(prisma, { guestName: name, plan: copyPlan([{ name: `${name}-sda`, source: disk, target: path.join(tmp.dir, "out", `${name}-sda.raw`) }], { format: "raw", allocation: "sparse" }) });
        return await finished(id);
      } finally {
        await agents.stop();
        if (saved === undefined) delete process.env.FERRY_SOURCE_DIRS;
        else process.env.FERRY_SOURCE_DIRS = saved;
      }
    };
    const refused = await run(undefined, "emb-none");
    expect(refused).toMatchObject({ status: "failed", errorCode: "SOURCE_NOT_ALLOWED" });
    expect(refused.error).toBe(`Source disk ${disk} is not in a directory this agent may read: this agent has no source directories configured. Add its directory to FERRY_SOURCE_DIRS (colon-separated) in the console's environment and restart the console.`);
    expect(await run(`/nonexistent/dir:${allowed()}`, "emb-set")).toMatchObject({ status: "succeeded" });
  });
});
