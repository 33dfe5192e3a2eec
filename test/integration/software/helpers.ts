// Shared by the software integration tests: a data directory of their own, an actor, bodies.
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import type { Db } from "../../../server/db/client.ts";
import type { Prisma } from "../../../server/db/generated/client.ts";

export function useTempDataDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  process.env.FERRY_DATA_DIR = dir;
  return dir;
}

export const admin = { id: "u-admin", email: "admin@example.test", ip: "10.1.2.3" };

export function body(text: string | Buffer): Readable {
  return Readable.from([Buffer.from(text)]);
}

/** A body that sends some bytes and then fails, as a dropped connection does. */
export function brokenBody(): Readable {
  return new Readable({
    read() {
      this.push(Buffer.alloc(64 * 1024, 7));
      this.destroy(new Error("connection reset"));
    },
  });
}

/** A team layer bound to the repository, whose head revision has these apps. */
export async function layerWithApps(prisma: Db, opts: { name: string; position: number; repositoryId: string | null; apps: Prisma.InputJsonObject[] }): Promise<string> {
  const id = randomUUID();
  await prisma.configLayer.create({ data: { id, name: opts.name, position: opts.position, kind: "team", repositoryId: opts.repositoryId, headRevision: 2 } });
  // An older revision with another app: only the head counts.
  await prisma.configRevision.create({ data: { layerId: id, number: 1, model: { pathRoot: "/var/lib/virt-v2v/software", apps: [{ name: "old", path: "old/only-in-rev-1.rpm", deps: [] }] }, summary: "first", authorEmail: "system" } });
  await prisma.configRevision.create({ data: { layerId: id, number: 2, model: { pathRoot: "/var/lib/virt-v2v/software", apps: opts.apps }, summary: "second", authorEmail: "system" } });
  return id;
}
