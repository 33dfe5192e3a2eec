// Repositories and their files against a real PostgreSQL and a real disk: create, rename,
// upload, replace, download, delete (refused while an app points at the file), presence,
// and confinement applied by every operation.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { text } from "node:stream/consumers";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../../../server/db/client.ts";
import { AppError } from "../../../server/errors.ts";
import { createRepository } from "../../../server/software/create-repository.ts";
import { deleteFile } from "../../../server/software/delete-file.ts";
import { deleteRepository } from "../../../server/software/delete-repository.ts";
import { filePresence } from "../../../server/software/file-presence.ts";
import { layerMissingFiles } from "../../../server/software/layer-missing-files.ts";
import { listFiles } from "../../../server/software/list-files.ts";
import { listRepositories } from "../../../server/software/list-repositories.ts";
import { openFile } from "../../../server/software/open-file.ts";
import { presenceForLayer } from "../../../server/software/presence-for-layer.ts";
import { renameRepository } from "../../../server/software/rename-repository.ts";
import { repositoryDir } from "../../../server/software/storage.ts";
import { uploadFile } from "../../../server/software/upload-file.ts";
import { freshDatabase } from "../db.ts";
import { admin, body, brokenBody, layerWithApps, useTempDataDir } from "./helpers.ts";

let prisma: Db;
let dataDir: string;
let repoId: string;

const sha = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");
const KERNEL = "rhel/5/kernel-2.6.18-128.el5.x86_64.rpm";

async function error(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

function leftovers(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((n) => path.basename(n).startsWith(".ferry-"));
}

beforeAll(async () => {
  dataDir = useTempDataDir("ferry-software-");
  ({ prisma } = await freshDatabase("software_repositories"));
  repoId = (await createRepository(prisma, admin, { name: "Site RPMs", description: "kernels and tools" })).id;
});
afterAll(async () => {
  await prisma?.$disconnect();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("repositories", () => {
  test("create makes the row, the directory under FERRY_DATA_DIR/repositories and an audit record", async () => {
    expect(repositoryDir(repoId)).toBe(path.join(dataDir, "repositories", repoId));
    expect(existsSync(repositoryDir(repoId))).toBe(true);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "repository.create", targetId: repoId } });
    expect(audit).toMatchObject({ actorEmail: admin.email, ip: admin.ip, after: { name: "Site RPMs", description: "kernels and tools" } });
  });

  test("a duplicate name is a conflict on the name field", async () => {
    const e = await error(createRepository(prisma, admin, { name: "Site RPMs", description: "" }));
    expect(e.code).toBe("CONFLICT");
    expect(e.fieldErrors).toEqual({ name: ["This name is already in use."] });
    expect(await prisma.repository.count()).toBe(1);
  });

  test("rename is audited with before and after", async () => {
    const other = await createRepository(prisma, admin, { name: "Scratch", description: "" });
    expect(await renameRepository(prisma, admin, { repositoryId: other.id, name: "Scratch 2", description: "temporary" })).toEqual({ changed: true });
    expect(await renameRepository(prisma, admin, { repositoryId: other.id, name: "Scratch 2", description: "temporary" })).toEqual({ changed: false });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "repository.rename", targetId: other.id } });
    expect(audit.before).toEqual({ name: "Scratch", description: "" });
    expect(audit.after).toEqual({ name: "Scratch 2", description: "temporary" });
    expect((await error(renameRepository(prisma, admin, { repositoryId: other.id, name: "Site RPMs", description: "" }))).code).toBe("CONFLICT");
    await deleteRepository(prisma, admin, { repositoryId: other.id });
    expect(existsSync(repositoryDir(other.id))).toBe(false);
    expect(await prisma.auditEvent.count({ where: { action: "repository.delete", targetId: other.id } })).toBe(1);
  });
});

describe("upload and replace", () => {
  test("an upload is stored at its path with size, sha256, who and when, and audited", async () => {
    const content = "kernel rpm bytes v1";
    const file = await uploadFile(prisma, admin, { repositoryId: repoId, path: KERNEL, body: body(content) });
    expect(file).toMatchObject({ path: KERNEL, size: content.length, sha256: sha(content), uploadedByEmail: admin.email, replaced: null });
    expect(readFileSync(path.join(repositoryDir(repoId), KERNEL), "utf8")).toBe(content);
    const row = await prisma.repositoryFile.findFirstOrThrow({ where: { repositoryId: repoId, path: KERNEL } });
    expect(row).toMatchObject({ size: BigInt(content.length), sha256: sha(content), uploadedById: admin.id, uploadedByEmail: admin.email });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "repository.file.upload" } });
    expect(audit).toMatchObject({ targetId: repoId, before: null, after: { path: KERNEL, size: content.length, sha256: sha(content) } });
    expect(leftovers(repositoryDir(repoId))).toEqual([]);
  });

  test("uploading to an existing path replaces it, audited with before and after", async () => {
    const v2 = "kernel rpm bytes, second build";
    const file = await uploadFile(prisma, admin, { repositoryId: repoId, path: KERNEL, body: body(v2) });
    expect(file.replaced).toEqual({ size: "kernel rpm bytes v1".length, sha256: sha("kernel rpm bytes v1") });
    expect(readFileSync(path.join(repositoryDir(repoId), KERNEL), "utf8")).toBe(v2);
    expect(await prisma.repositoryFile.count({ where: { repositoryId: repoId, path: KERNEL } })).toBe(1);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "repository.file.replace" } });
    expect(audit.before).toMatchObject({ path: KERNEL, size: 19, sha256: sha("kernel rpm bytes v1") });
    expect(audit.after).toEqual({ path: KERNEL, size: v2.length, sha256: sha(v2) });
  });

  test("a failed upload leaves no temporary file, no row, and the old file untouched", async () => {
    const rows = await prisma.repositoryFile.count();
    const audits = await prisma.auditEvent.count();
    await expect(uploadFile(prisma, admin, { repositoryId: repoId, path: "rhel/5/broken.rpm", body: brokenBody() })).rejects.toThrow(/connection reset/);
    await expect(uploadFile(prisma, admin, { repositoryId: repoId, path: KERNEL, body: brokenBody() })).rejects.toThrow(/connection reset/);
    const aborted = new AbortController();
    aborted.abort();
    const cancelled = await error(uploadFile(prisma, admin, { repositoryId: repoId, path: "rhel/5/aborted.rpm", body: body("x"), signal: aborted.signal }));
    expect(cancelled.message).toMatch(/^The upload of rhel\/5\/aborted.rpm was interrupted after \d+ bytes; nothing was stored.$/);
    const short = await error(uploadFile(prisma, admin, { repositoryId: repoId, path: "rhel/5/short.rpm", body: body("12345"), expectedSize: 10 }));
    expect(short.message).toBe("The upload of rhel/5/short.rpm ended after 5 of 10 bytes; nothing was stored.");
    expect(await prisma.repositoryFile.count()).toBe(rows);
    expect(await prisma.auditEvent.count()).toBe(audits);
    expect(leftovers(repositoryDir(repoId))).toEqual([]);
    expect(existsSync(path.join(repositoryDir(repoId), "rhel/5/broken.rpm"))).toBe(false);
    expect(readFileSync(path.join(repositoryDir(repoId), KERNEL), "utf8")).toBe("kernel rpm bytes, second build");
  });

  test("a body that fails at once leaves no temporary file, in 400 such uploads one after another", async () => {
    // The temporary file used to be opened asynchronously by its write stream: a body that failed
    // before that open let the removal run first, and the open then created the file. One clean-
    // clone run saw it; with the old code this test found a leftover in each of 3 runs.
    for (let i = 0; i < 400; i++) {
      await expect(uploadFile(prisma, admin, { repositoryId: repoId, path: `rhel/5/failed-${i}.rpm`, body: brokenBody() })).rejects.toThrow(/connection reset/);
    }
    await new Promise((r) => setTimeout(r, 100)); // an open still in flight would have created its file by now
    expect(leftovers(repositoryDir(repoId))).toEqual([]);
  });

  test("a path that is a folder, or goes through a file, is refused", async () => {
    expect((await error(uploadFile(prisma, admin, { repositoryId: repoId, path: "rhel/5", body: body("x") }))).message).toMatch(/is a folder in this repository/);
    expect((await error(uploadFile(prisma, admin, { repositoryId: repoId, path: `${KERNEL}/inner`, body: body("x") }))).message).toMatch(/goes through a file/);
    expect(leftovers(repositoryDir(repoId))).toEqual([]);
  });

  test("download streams the recorded file with its size", async () => {
    const opened = await openFile(prisma, repoId, KERNEL);
    expect(opened.size).toBe("kernel rpm bytes, second build".length);
    expect(opened.name).toBe("kernel-2.6.18-128.el5.x86_64.rpm");
    expect(await text(opened.stream)).toBe("kernel rpm bytes, second build");
    expect((await error(openFile(prisma, repoId, "rhel/5/never-uploaded.rpm"))).code).toBe("NOT_FOUND");
  });
});

describe("every operation is confined", () => {
  test("upload, download and delete refuse paths that escape, and write nothing outside", async () => {
    const outside = path.join(dataDir, "outside");
    mkdirSync(outside);
    writeFileSync(path.join(outside, "passwd"), "root:x:0:0");
    symlinkSync(outside, path.join(repositoryDir(repoId), "escape"));
    for (const p of ["../outside/passwd", "/etc/passwd", "escape/passwd", "escape/new.rpm", "a\\b"]) {
      const up = await error(uploadFile(prisma, admin, { repositoryId: repoId, path: p, body: body("overwritten") }));
      expect(up.code).toBe("INVALID_INPUT");
      expect(up.message).toContain(JSON.stringify(p));
      expect((await error(openFile(prisma, repoId, p))).code).toBe("INVALID_INPUT");
      expect((await error(deleteFile(prisma, admin, { repositoryId: repoId, path: p }))).code).toBe("INVALID_INPUT");
    }
    expect(readdirSync(outside)).toEqual(["passwd"]);
    expect(readFileSync(path.join(outside, "passwd"), "utf8")).toBe("root:x:0:0");
    expect(leftovers(repositoryDir(repoId))).toEqual([]);
    rmSync(path.join(repositoryDir(repoId), "escape"));
  });

  test("a recorded file swapped on disk for a link leading out is not served", async () => {
    await uploadFile(prisma, admin, { repositoryId: repoId, path: "swap/me.rpm", body: body("mine") });
    const abs = path.join(repositoryDir(repoId), "swap/me.rpm");
    rmSync(abs);
    symlinkSync(path.join(dataDir, "outside/passwd"), abs);
    expect((await error(openFile(prisma, repoId, "swap/me.rpm"))).message).toMatch(/leads outside the repository/);
    expect((await filePresence(prisma, repoId, ["swap/me.rpm"])).get("swap/me.rpm")).toBe(false);
    rmSync(abs);
    writeFileSync(abs, "mine");
    await deleteFile(prisma, admin, { repositoryId: repoId, path: "swap/me.rpm" });
    expect(existsSync(path.join(repositoryDir(repoId), "swap"))).toBe(false); // emptied folders go too
  });
});

describe("apps point at files", () => {
  let siteId: string;
  let labId: string;

  beforeAll(async () => {
    await uploadFile(prisma, admin, { repositoryId: repoId, path: "rhel/5/kernel-xen.rpm", body: body("xen") });
    await uploadFile(prisma, admin, { repositoryId: repoId, path: "tools/unused.rpm", body: body("unused") });
    siteId = await layerWithApps(prisma, {
      name: "Site",
      position: 10,
      repositoryId: repoId,
      apps: [
        { name: "kernel", os: "linux", distro: "rhel", major: "5", arch: "x86_64", path: KERNEL, deps: [] },
        { name: "kernel-xen", os: "linux", distro: "rhel", major: "5", path: "./rhel//5/kernel-xen.rpm", deps: [] },
        { name: "rhsrvany", os: "windows", path: "/usr/share/virt-tools/rhsrvany.exe", deps: [] },
        { name: "virtio", os: "windows", path: "virtio-win/drivers", deps: [] },
        { name: "escaping", path: "../../etc/passwd", deps: [] },
      ],
    });
    labId = await layerWithApps(prisma, {
      name: "Lab",
      position: 20,
      repositoryId: repoId,
      apps: [{ name: "kernel", os: "linux", distro: "rhel", major: "5", minor: "3", arch: "x86_64", path: KERNEL, deps: ["ecryptfs-utils"] }],
    });
    // A layer bound to no repository (or another one) never pins this repository's files.
    await layerWithApps(prisma, { name: "Elsewhere", position: 30, repositoryId: null, apps: [{ name: "tool", path: "tools/unused.rpm", deps: [] }] });
  });

  test("delete is refused while an app points at the file, naming every app and its layer", async () => {
    const e = await error(deleteFile(prisma, admin, { repositoryId: repoId, path: KERNEL }));
    expect(e.code).toBe("CONFLICT");
    expect(e.message).toBe(
      `${KERNEL} is used by app kernel (os=linux distro=rhel major=5 arch=x86_64) in layer Site and app kernel (os=linux distro=rhel major=5 minor=3 arch=x86_64) in layer Lab; change or remove those apps first.`,
    );
    const single = await error(deleteFile(prisma, admin, { repositoryId: repoId, path: "rhel/5/kernel-xen.rpm" }));
    expect(single.message).toBe("rhel/5/kernel-xen.rpm is used by app kernel-xen (os=linux distro=rhel major=5) in layer Site; change or remove that app first.");
    expect(existsSync(path.join(repositoryDir(repoId), KERNEL))).toBe(true);
    expect(await prisma.repositoryFile.count({ where: { path: KERNEL } })).toBe(1);
  });

  test("only the head revision counts; an unused file deletes, audited, gone from disk", async () => {
    await uploadFile(prisma, admin, { repositoryId: repoId, path: "old/only-in-rev-1.rpm", body: body("old") });
    await deleteFile(prisma, admin, { repositoryId: repoId, path: "old/only-in-rev-1.rpm" });
    await deleteFile(prisma, admin, { repositoryId: repoId, path: "tools/unused.rpm" });
    expect(existsSync(path.join(repositoryDir(repoId), "tools/unused.rpm"))).toBe(false);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "repository.file.delete" }, orderBy: { id: "desc" } });
    expect(audit.before).toMatchObject({ path: "tools/unused.rpm", size: 6, sha256: sha("unused") });
    expect((await error(deleteFile(prisma, admin, { repositoryId: repoId, path: "tools/unused.rpm" }))).code).toBe("NOT_FOUND");
  });

  test("the repository cannot be deleted while apps point at its files", async () => {
    const e = await error(deleteRepository(prisma, admin, { repositoryId: repoId }));
    expect(e.code).toBe("CONFLICT");
    expect(e.message).toMatch(/^Repository Site RPMs still holds files apps point at: rhel\/5\/kernel-2\.6\.18-128\.el5\.x86_64\.rpm \(app kernel .* in layer Site\)/);
    expect(existsSync(repositoryDir(repoId))).toBe(true);
  });

  test("presence: recorded and on disk; absolute paths are the agent host's (null)", async () => {
    const presence = await filePresence(prisma, repoId, [KERNEL, "./rhel//5/kernel-xen.rpm", "virtio-win/drivers", "../../etc/passwd", "/etc/passwd"]);
    expect(Object.fromEntries(presence)).toEqual({ [KERNEL]: true, "./rhel//5/kernel-xen.rpm": true, "virtio-win/drivers": false, "../../etc/passwd": false, "/etc/passwd": false });
    expect(await layerMissingFiles(prisma, siteId)).toEqual(["virtio-win/drivers", "../../etc/passwd"]);
    expect(await layerMissingFiles(prisma, labId)).toEqual([]);

    const presenceOf = presenceForLayer(prisma);
    expect(await presenceOf(siteId, KERNEL)).toBe(true);
    expect(await presenceOf(siteId, "virtio-win/drivers")).toBe(false);
    expect(await presenceOf(siteId, "/usr/share/virt-tools/rhsrvany.exe")).toBeNull();

    // Recorded but gone from disk: not present.
    rmSync(path.join(repositoryDir(repoId), "rhel/5/kernel-xen.rpm"));
    expect(await presenceOf(siteId, "rhel/5/kernel-xen.rpm")).toBe(false);
    expect(await layerMissingFiles(prisma, siteId)).toEqual(["./rhel//5/kernel-xen.rpm", "virtio-win/drivers", "../../etc/passwd"]);
  });

  test("the listing shows each file's apps, what is missing on disk, and what apps need that is absent", async () => {
    const listed = await listFiles(prisma, repoId);
    const kernel = listed.files.find((f) => f.path === KERNEL)!;
    expect(kernel.present).toBe(true);
    expect(kernel.usedBy.map((u) => u.layerName)).toEqual(["Site", "Lab"]);
    expect(listed.files.find((f) => f.path === "rhel/5/kernel-xen.rpm")!.present).toBe(false);
    expect(listed.missing.map((m) => m.path)).toEqual(["virtio-win/drivers"]);
    const [summary] = await listRepositories(prisma);
    expect(summary).toMatchObject({ name: "Site RPMs", fileCount: listed.files.length, layers: [{ name: "Site" }, { name: "Lab" }, ] });
    expect(summary!.totalSize).toBe(listed.files.reduce((n, f) => n + f.size, 0));
  });

  test("once no app points at its files, the repository deletes with them", async () => {
    await prisma.configLayer.deleteMany({ where: { id: { in: [siteId, labId] } } });
    const result = await deleteRepository(prisma, admin, { repositoryId: repoId });
    expect(result.name).toBe("Site RPMs");
    expect(await prisma.repositoryFile.count({ where: { repositoryId: repoId } })).toBe(0);
    expect(existsSync(repositoryDir(repoId))).toBe(false);
    expect(readdirSync(path.join(dataDir, "repositories"))).toEqual([]);
  });
});
