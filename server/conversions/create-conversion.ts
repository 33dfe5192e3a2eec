// Queues a conversion (or a dry run): the request checked against the configuration stack as
// it is now (a profile must exist in it), the layers' head revisions recorded with it, and the
// audit record, all in one transaction.
import { randomUUID } from "node:crypto";
import type { Db, Tx } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";
import { recordAudit, type AuditActor } from "../audit/record-audit.ts";
import { getStack, stackFiles } from "../config/get-stack.ts";
import { parseInput } from "../config/parse-input.ts";
import { listProfiles } from "../v2v/profile.ts";
import { isSealedCredentials, sealCredentials } from "../secrets/credentials.ts";
import { conversionRequestSchema, type TConversionRequest, type TConversionRequestInput } from "./request.ts";
import { readConversion, type ConversionRow } from "./conversion-row.ts";

export type ConfigRevisionRef = { layerId: string; file: string; revision: number };

/** The stack's layers, first searched first, with the revision each is at. */
export async function headRevisions(tx: Tx | Db): Promise<{ refs: ConfigRevisionRef[]; profiles: string[] }> {
  const stack = await getStack(tx as Db);
  return { refs: stack.map((s) => ({ layerId: s.layerId, file: s.name, revision: s.revision })), profiles: listProfiles(stackFiles(stack)) };
}

/** What the audit log keeps of a request: everything but the XML text and the credentials (only which kinds were given). */
export function auditedRequest(request: TConversionRequest): unknown {
  const { source, credentials, ...rest } = request;
  const kinds = credentials ? (isSealedCredentials(credentials) ? credentials.kinds : Object.keys(credentials)) : undefined;
  return {
    ...rest,
    ...(kinds ? { credentials: { kinds } } : {}),
    source: source.method === "libvirtxml" ? { method: source.method, fileName: source.fileName, guest: source.guest, disks: source.disks, remote: source.remote } : source,
  };
}

/** The request as it goes into Postgres: credentials sealed with the console's key, never plain. */
export function storedRequest(request: TConversionRequest): TConversionRequest {
  const { credentials, ...rest } = request;
  if (!credentials) return rest;
  const sealed = isSealedCredentials(credentials) ? credentials : sealCredentials(credentials);
  return sealed ? { ...rest, credentials: sealed } : rest;
}

export async function createConversion(client: Db, actor: AuditActor, raw: TConversionRequestInput): Promise<ConversionRow> {
  return client.$transaction(async (tx) => {
    const { refs, profiles } = await headRevisions(tx);
    const request = parseInput(conversionRequestSchema({ profiles }), raw);
    const id = randomUUID();
    const row = await tx.conversion.create({
      data: {
        id,
        guestName: request.source.guest,
        status: "queued",
        dryRun: request.dryRun,
        request: storedRequest(request) as unknown as Prisma.InputJsonValue,
        profile: request.profile ?? null,
        configRevisions: refs as unknown as Prisma.InputJsonValue,
        createdById: actor.id,
        createdByEmail: actor.email,
      },
    });
    await recordAudit(tx, actor, {
      action: request.dryRun ? "conversion.plan" : "conversion.create",
      targetType: "conversion",
      targetId: id,
      after: { number: row.number, guestName: row.guestName, dryRun: row.dryRun, status: row.status, request: auditedRequest(request), configRevisions: refs },
    });
    return readConversion(row);
  });
}
