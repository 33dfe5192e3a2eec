// The admin CLI on the console host: `ferry config import FILE --layer NAME` and
// `ferry config export --layer NAME`, against DATABASE_URL, and against the embedded database
// both when the console's postgres is running and when it is not.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../../../server/db/client.ts";
import { createPrisma } from "../../../server/db/client.ts";
import { startEmbeddedPostgres } from "../../../server/db/embedded-postgres.ts";
import { toLayerModel } from "../../../server/config/layer-model.ts";
import { parseConfig } from "../../../server/v2v/index.ts";
import { freshDatabase } from "../db.ts";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const SITE_FILE = fileURLToPath(new URL("./site.conf", import.meta.url));
const SITE = parseConfig(readFileSync(SITE_FILE, "utf8"), "site.conf");

type Run = { code: number; stdout: string; stderr: string };

function ferry(args: string[], env: Record<string, string>): Promise<Run> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "DATABASE_URL" && !k.startsWith("FERRY_")));
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, "server/cli/ferry.mjs"), ...args], { cwd: root, env: { ...clean, ...env } as NodeJS.ProcessEnv, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

describe("ferry config import/export with DATABASE_URL", () => {
  let prisma: Db;
  let env: Record<string, string>;
  beforeAll(async () => {
    const fresh = await freshDatabase("config_cli");
    prisma = fresh.prisma;
    env = { DATABASE_URL: fresh.url };
  });
  afterAll(async () => prisma?.$disconnect());

  test("import creates the layer, audited as the system actor; export gives the same model back", async () => {
    const imported = await ferry(["config", "import", SITE_FILE, "--layer", "Site"], env);
    expect(imported.stderr).toBe("");
    expect(imported.stdout).toBe("Created the layer Site. Imported site.conf into Site: revision 2 (10 added, 1 changed, 0 removed).\n");
    expect(imported.code).toBe(0);
    const layer = await prisma.configLayer.findUniqueOrThrow({ where: { name: "Site" } });
    expect(await prisma.auditEvent.findMany({ where: { targetId: layer.id }, orderBy: { id: "asc" }, select: { action: true, actorEmail: true, actorId: true } })).toEqual([
      { action: "config.layer.create", actorEmail: "system", actorId: null },
      { action: "config.layer.import", actorEmail: "system", actorId: null },
    ]);
    // The Vendor layer is there too, searched after Site.
    expect((await prisma.configLayer.findMany({ orderBy: { position: "asc" } })).map((l) => l.name)).toEqual(["Site", "Vendor"]);

    const exported = await ferry(["config", "export", "--layer", "Site"], env);
    expect(exported.code).toBe(0);
    expect(toLayerModel(parseConfig(exported.stdout, "export.conf"))).toEqual(toLayerModel(SITE));

    const dir = mkdtempSync(path.join(os.tmpdir(), "ferry-cli-"));
    try {
      const backup = path.join(dir, "backup.conf");
      writeFileSync(backup, exported.stdout);
      const again = await ferry(["config", "import", backup, "--layer", "site"], env);
      expect(again.stdout).toBe("Site already holds what backup.conf says: nothing changed (revision 2).\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("failures say why on stderr with exit 1; usage errors exit 2", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "ferry-cli-"));
    try {
      const broken = path.join(dir, "broken.conf");
      writeFileSync(broken, "<virt-v2v>\n  <app os='linux' name='x'/>\n</virt-v2v>\n");
      expect(await ferry(["config", "import", broken, "--layer", "Site"], env)).toEqual({
        code: 1,
        stdout: "",
        stderr: `${broken}:2:3: app entry in config doesn't contain a path: <app os='linux' name='x'/>\n`,
      });
      const vendor = await ferry(["config", "import", SITE_FILE, "--layer", "Vendor"], env);
      expect(vendor.code).toBe(1);
      expect(vendor.stderr).toMatch(/^ferry: The Vendor layer ships with Ferry and is read-only/);
      const missing = await ferry(["config", "export", "--layer", "Nope"], env);
      expect(missing).toMatchObject({ code: 1, stdout: "", stderr: "ferry: there is no layer named Nope (the layers are: Site, Vendor)\n" });
      expect((await ferry(["config", "export"], env)).code).toBe(2);
      expect((await ferry(["config", "import", path.join(dir, "absent.conf"), "--layer", "Site"], env)).stderr).toBe(`Config file ${path.join(dir, "absent.conf")} doesn't exist\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("ferry config with the embedded database under FERRY_DATA_DIR", () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "ferry-cli-data-"));
  const port = Number(process.env.FERRY_TEST_CLI_PG_PORT ?? 54343);
  const env = { FERRY_DATA_DIR: dataDir, FERRY_PG_PORT: String(port) };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  test("no console running: the command starts the database, imports, and stops it again", async () => {
    expect(await portOpen(port)).toBe(false);
    const imported = await ferry(["config", "import", SITE_FILE, "--layer", "Site"], env);
    expect(imported.stdout).toBe("Created the layer Site. Imported site.conf into Site: revision 2 (10 added, 1 changed, 0 removed).\n");
    expect(imported.code).toBe(0);
    expect(await portOpen(port)).toBe(false);
    // A failure keeps its exit status even though the database was started and stopped.
    expect(await ferry(["config", "export", "--layer", "Nope"], env)).toMatchObject({ code: 1, stderr: "ferry: there is no layer named Nope (the layers are: Site, Vendor)\n" });
    expect(await portOpen(port)).toBe(false);
  });

  test("console running: the command uses its database and leaves it running", async () => {
    const running = await startEmbeddedPostgres({ dataDir, port });
    try {
      const exported = await ferry(["config", "export", "--layer", "Site"], env);
      expect(exported.code).toBe(0);
      expect(toLayerModel(parseConfig(exported.stdout, "export.conf"))).toEqual(toLayerModel(SITE));
      const prisma = createPrisma(running.url);
      try {
        expect(await prisma.configRevision.count({ where: { layer: { name: "Site" } } })).toBe(2);
      } finally {
        await prisma.$disconnect();
      }
    } finally {
      await running.stop();
    }
  });
});
