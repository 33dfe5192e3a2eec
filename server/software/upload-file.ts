// Stores an uploaded file: the body streams through a sha256 hash into a temporary file in the
// repository directory (never whole in memory; the write stream's backpressure paces the
// reads), which is renamed into place in the same transaction as its row and audit record.
// A failed or aborted upload leaves no temporary file and no row.
import { createHash, randomUUID } from "node:crypto";
import { lstat, mkdir, open, rename, rm } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeWebStream } from "node:stream/web";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { recordAudit, type AuditActor } from "../audit/record-audit.ts";
import { logger } from "../log.ts";
import { checkRepositoryPath, confinePath } from "./confine-path.ts";
import { lockRepository } from "./lock-repository.ts";
import { ensureRepositoryDir, errnoCode, RESERVED_PREFIX } from "./storage.ts";

const log = logger("software");

export type UploadInput = {
  repositoryId: string;
  path: string;
  body: ReadableStream<Uint8Array> | Readable;
  /** Content-Length when the client sent one: a shorter body is refused. */
  expectedSize?: number | null;
  signal?: AbortSignal;
};

export type StoredFile = {
  id: string;
  repositoryId: string;
  path: string;
  size: number;
  sha256: string;
  uploadedByEmail: string;
  uploadedAt: Date;
  /** Size and sha256 of the file this upload replaced, if any. */
  replaced: { size: number; sha256: string } | null;
};

// A dropped connection or a cancelled request, as opposed to a fault of the console.
function interrupted(e: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted) return true;
  const code = errnoCode(e);
  return (e instanceof Error && e.name === "AbortError") || code === "ECONNRESET" || code === "ERR_STREAM_PREMATURE_CLOSE" || code === "ABORT_ERR";
}

async function receive(body: UploadInput["body"], file: string, p: string, signal?: AbortSignal): Promise<{ size: number; sha256: string }> {
  const hash = createHash("sha256");
  let size = 0;
  const source = body instanceof Readable ? body : Readable.fromWeb(body as unknown as NodeWebStream<Uint8Array>);
  // Opened (and so created) before the pipeline starts: a path-based write stream opens its file
  // asynchronously, and a body that fails at once could reject the pipeline before that open
  // happened, so the caller's removal of the temporary file ran first and the open then created it.
  const handle = await open(file, "wx", 0o644);
  try {
    await pipeline(
      source,
      async function* (chunks: AsyncIterable<Uint8Array>) {
        for await (const chunk of chunks) {
          hash.update(chunk);
          size += chunk.byteLength;
          yield chunk;
        }
      },
      handle.createWriteStream({ flush: true }),
      ...(signal ? [{ signal }] : []),
    );
  } catch (e) {
    if (interrupted(e, signal)) throw new AppError("INVALID_INPUT", `The upload of ${p} was interrupted after ${size} bytes; nothing was stored.`);
    throw e;
  } finally {
    await handle.close(); // the stream closes it too; a second close is a no-op
  }
  return { size, sha256: hash.digest("hex") };
}

async function prepareParent(root: string, p: string, target: string): Promise<void> {
  try {
    await mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
  } catch (e) {
    const code = errnoCode(e);
    if (code === "EEXIST" || code === "ENOTDIR") {
      const message = `The path ${JSON.stringify(p)} goes through a file as if it were a folder.`;
      throw new AppError("INVALID_INPUT", message, { path: [message] });
    }
    throw e;
  }
  const st = await lstat(target).catch(() => null);
  if (st?.isDirectory()) {
    const message = `The path ${JSON.stringify(p)} is a folder in this repository; give the file a name of its own.`;
    throw new AppError("INVALID_INPUT", message, { path: [message] });
  }
}

export async function uploadFile(client: Db, actor: AuditActor, input: UploadInput): Promise<StoredFile> {
  const repo = await client.repository.findUnique({ where: { id: input.repositoryId }, select: { id: true } });
  if (!repo) throw new AppError("NOT_FOUND", "That repository does not exist.");
  const p = checkRepositoryPath(input.path);
  const root = await ensureRepositoryDir(repo.id);
  await confinePath(root, p); // refuse before reading a byte of the body
  const temp = path.join(root, `${RESERVED_PREFIX}upload-${randomUUID()}.part`);
  let placed = false;
  try {
    const { size, sha256 } = await receive(input.body, temp, p, input.signal);
    if (input.expectedSize != null && size !== input.expectedSize) {
      throw new AppError("INVALID_INPUT", `The upload of ${p} ended after ${size} of ${input.expectedSize} bytes; nothing was stored.`);
    }
    await prepareParent(root, p, await confinePath(root, p));
    // Checked again now the folders exist: nothing may have swapped one for a link meanwhile.
    const target = await confinePath(root, p);
    return await client.$transaction(
      async (tx) => {
        await lockRepository(tx, repo.id);
        const before = await tx.repositoryFile.findUnique({ where: { repositoryId_path: { repositoryId: repo.id, path: p } } });
        const data = { size: BigInt(size), sha256, uploadedById: actor.id, uploadedByEmail: actor.email, uploadedAt: new Date() };
        const row = before
          ? await tx.repositoryFile.update({ where: { id: before.id }, data })
          : await tx.repositoryFile.create({ data: { id: randomUUID(), repositoryId: repo.id, path: p, ...data } });
        const replaced = before ? { size: Number(before.size), sha256: before.sha256 } : null;
        await recordAudit(tx, actor, {
          action: before ? "repository.file.replace" : "repository.file.upload",
          targetType: "repository",
          targetId: repo.id,
          before: before ? { path: p, ...replaced, uploadedBy: before.uploadedByEmail } : undefined,
          after: { path: p, size, sha256 },
        });
        // Last, so any failure above leaves the old file in place; the row lock keeps concurrent
        // uploads of the same path in commit order.
        await rename(temp, target);
        placed = true;
        return { id: row.id, repositoryId: repo.id, path: p, size, sha256, uploadedByEmail: row.uploadedByEmail, uploadedAt: row.uploadedAt, replaced };
      },
      { timeout: 60_000 },
    );
  } catch (e) {
    if (placed) log.error("an upload was moved into place but its transaction did not commit", { repositoryId: repo.id, path: p, error: String(e) });
    else await rm(temp, { force: true });
    throw e;
  }
}
