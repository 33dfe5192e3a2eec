"use server";
// Configuration actions: layers, elements, revisions, import, and the explorer. Each one checks
// the caller's session and role itself (config:write for changes, config:read for the
// explorer and diffs), then makes one call into server/config. Edits send back the revision
// they started from (`baseRevision`); a stale one gets the conflict message.
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { actorFromHeaders, authorize, type Actor } from "@/server/auth/actor";
import type { TPermission } from "@/server/auth/roles";
import { addElement } from "@/server/config/add-element";
import { applyImport } from "@/server/config/apply-import";
import { createLayer } from "@/server/config/create-layer";
import { deleteElement } from "@/server/config/delete-element";
import { deleteLayer } from "@/server/config/delete-layer";
import { diffRevisions, type RevisionDiff } from "@/server/config/diff-revisions";
import type { ElementKind } from "@/server/config/element-kinds";
import { explainMatch, type ExplainResult } from "@/server/config/explain-match";
import { nestForm, remapFieldErrors } from "@/server/config/form-input";
import { moveElement } from "@/server/config/move-element";
import { previewImport, type ImportPreview } from "@/server/config/preview-import";
import { reorderLayers } from "@/server/config/reorder-layers";
import { restoreRevision } from "@/server/config/restore-revision";
import { setPathRoot } from "@/server/config/set-path-root";
import { updateElement } from "@/server/config/update-element";
import { updateLayer } from "@/server/config/update-layer";
import { db } from "@/server/db/client";
import { isAppError } from "@/server/errors";
import { presenceForLayer } from "@/server/software/presence-for-layer";
import { formFields, type ActionState } from "@/server/http/form-action";
import { checkFormFields, type FieldName, type FieldOptions } from "@/server/http/known-fields";
import { logger } from "@/server/log";

const log = logger("action");

export type ConfigActionState = ActionState & { revision?: number; warnings?: string[] };
export type ImportPreviewState = ActionState & { preview?: ImportPreview };
export type ExplainState = ActionState & { result?: ExplainResult };

type Fields = Record<string, string>;

/** authorize -> run -> expected errors as messages (field keys mapped back to the form's rows). */
async function act<S extends ActionState>(permission: TPermission, run: (actor: Actor) => Promise<S>, fieldKey: (key: string) => string = (k) => k): Promise<S | ActionState> {
  try {
    const actor = authorize(await actorFromHeaders(await headers()), permission);
    return await run(actor);
  } catch (e) {
    if (isAppError(e)) return { ok: false, message: e.message, fieldErrors: remapFieldErrors(e.fieldErrors, fieldKey) };
    log.error("configuration action failed", { error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    throw e;
  }
}

const who = (a: Actor) => ({ id: a.id, email: a.email, ip: a.ip });

// The fields each form sends (see the components next to each action); anything else is refused.
const LAYER_FIELDS = ["name", "description", "repositoryId"];
const MATCH_FIELDS = ["name", "os", "distro", "major", "minor", "arch"];
const NETWORK_FIELDS = ["sourceType", "sourceName", "targetType", "targetName"];
const ELEMENT_FIELDS = [
  "layerId", "baseRevision", "kind", "index",
  ...MATCH_FIELDS, ...NETWORK_FIELDS, "method", "location", "format", "allocation", "path",
  /^networks\.\d+\.(sourceType|sourceName|targetType|targetName)$/,
  /^deps(\.\d+)?$/, /^deps\.\d+\.(name|minversion|ifinstalled)$/,
];
const ROW_FIELDS = ["layerId", "baseRevision", "kind", "index"];
// Revisions and row indexes are whole numbers: anything else is refused under its own name.
const check = (formData: FormData, allowed: readonly FieldName[], opts: FieldOptions = {}) => checkFormFields(formData, allowed, { numbers: ["baseRevision", "index", "number"], ...opts });
const IMPORT_FIELDS = ["layerId", "baseRevision", "file", "text", "fileName"];
// Pasted text is capped by the import itself (32 MiB, with its own message).
const IMPORT_OPTIONS = { longer: { text: Number.MAX_SAFE_INTEGER }, files: ["file"] };
const num = (v: string | undefined) => (v === undefined || v.trim() === "" ? Number.NaN : Number(v));

function saved(result: { revision: number; changed: boolean; summary: string; warnings: string[] }): ConfigActionState {
  revalidatePath("/configuration", "layout");
  return {
    ok: true,
    message: result.changed ? `Saved as revision ${result.revision}: ${result.summary}` : "Nothing changed.",
    revision: result.revision,
    ...(result.warnings.length ? { warnings: result.warnings } : {}),
  };
}

/** Fields: name, description, repositoryId (blank = none). */
export async function createLayerAction(_prev: ActionState, formData: FormData): Promise<ConfigActionState> {
  const f = formFields(formData);
  return act("config:write", async (actor) => {
    check(formData, LAYER_FIELDS);
    const layer = await createLayer(db(), who(actor), { name: f.name ?? "", description: f.description, repositoryId: f.repositoryId });
    revalidatePath("/configuration", "layout");
    return { ok: true, message: `Created the layer ${layer.name}, searched before Vendor.`, revision: layer.headRevision };
  });
}

/** Fields: layerId, and any of name, description, repositoryId (absent fields stay as they are). */
export async function updateLayerAction(_prev: ActionState, formData: FormData): Promise<ConfigActionState> {
  const f = formFields(formData);
  return act("config:write", async (actor) => {
    check(formData, ["layerId", ...LAYER_FIELDS]);
    const layer = await updateLayer(db(), who(actor), { layerId: f.layerId ?? "", name: f.name, description: f.description, repositoryId: f.repositoryId });
    revalidatePath("/configuration", "layout");
    return { ok: true, message: `Saved the layer ${layer.name}.` };
  });
}

/** Fields: layerId. */
export async function deleteLayerAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const f = formFields(formData);
  return act("config:write", async (actor) => {
    check(formData, ["layerId"]);
    await deleteLayer(db(), who(actor), { layerId: f.layerId ?? "" });
    revalidatePath("/configuration", "layout");
    return { ok: true, message: "Deleted the layer." };
  });
}

/** Fields: layerId, repeated once per team layer in the new order (the Vendor layer stays last). */
export async function reorderLayersAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const layerIds = formData.getAll("layerId").filter((v): v is string => typeof v === "string");
  return act("config:write", async (actor) => {
    check(formData, ["layerId"]);
    const { changed } = await reorderLayers(db(), who(actor), { layerIds });
    revalidatePath("/configuration", "layout");
    return { ok: true, message: changed ? "Saved the new search order." : "The order was already that." };
  });
}

/**
 * Adds (index blank) or changes (index = position in the list, from 0) one element.
 * Fields: layerId, baseRevision, kind (profile | network | capability | app), index, and per kind:
 *   profile: name, method, location, format, allocation, networks.N.{sourceType,sourceName,targetType,targetName}
 *   network: sourceType, sourceName, targetType, targetName
 *   capability: name, os, distro, major, minor, arch (must stay blank), deps.N.{name,minversion,ifinstalled}
 *   app: name, os, distro, major, minor, arch, path, deps (names separated by spaces/commas/lines, or deps.N)
 * Blank rows are ignored; errors come back keyed by these names.
 */
export async function saveElementAction(_prev: ActionState, formData: FormData): Promise<ConfigActionState> {
  const { value, fieldKey } = nestForm(formFields(formData));
  const { layerId, baseRevision, kind, index, ...element } = value as Fields & Record<string, unknown>;
  return act(
    "config:write",
    async (actor) => {
      check(formData, ELEMENT_FIELDS);
      const target = { layerId: String(layerId ?? ""), baseRevision: num(baseRevision as string | undefined), kind: String(kind ?? "") as ElementKind };
      const result =
        index === undefined || index === ""
          ? await addElement(db(), who(actor), { ...target, element: element as never })
          : await updateElement(db(), who(actor), { ...target, index: num(index as string), element: element as never });
      return saved(result);
    },
    fieldKey,
  );
}

/** Fields: layerId, baseRevision, kind, index. */
export async function deleteElementAction(_prev: ActionState, formData: FormData): Promise<ConfigActionState> {
  const f = formFields(formData);
  return act("config:write", async (actor) => {
    check(formData, ROW_FIELDS);
    return saved(await deleteElement(db(), who(actor), { layerId: f.layerId ?? "", baseRevision: num(f.baseRevision), kind: (f.kind ?? "") as ElementKind, index: num(f.index) }));
  });
}

/** Fields: layerId, baseRevision, kind, index, direction (up | down). */
export async function moveElementAction(_prev: ActionState, formData: FormData): Promise<ConfigActionState> {
  const f = formFields(formData);
  return act("config:write", async (actor) => {
    check(formData, [...ROW_FIELDS, "direction"]);
    return saved(
      await moveElement(db(), who(actor), {
        layerId: f.layerId ?? "",
        baseRevision: num(f.baseRevision),
        kind: (f.kind ?? "") as ElementKind,
        index: num(f.index),
        direction: (f.direction ?? "") as "up" | "down",
      }),
    );
  });
}

/** Fields: layerId, baseRevision, pathRoot (blank clears it). */
export async function setPathRootAction(_prev: ActionState, formData: FormData): Promise<ConfigActionState> {
  const f = formFields(formData);
  return act("config:write", async (actor) => {
    check(formData, ["layerId", "baseRevision", "pathRoot"]);
    return saved(await setPathRoot(db(), who(actor), { layerId: f.layerId ?? "", baseRevision: num(f.baseRevision), pathRoot: f.pathRoot }));
  });
}

/** Fields: layerId, baseRevision, number (the revision to bring back). */
export async function restoreRevisionAction(_prev: ActionState, formData: FormData): Promise<ConfigActionState> {
  const f = formFields(formData);
  return act("config:write", async (actor) => {
    check(formData, ["layerId", "baseRevision", "number"]);
    return saved(await restoreRevision(db(), who(actor), { layerId: f.layerId ?? "", baseRevision: num(f.baseRevision), number: num(f.number) }));
  });
}

async function importText(formData: FormData): Promise<{ text: string; fileName: string | undefined }> {
  const file = formData.get("file");
  if (file instanceof File && file.size > 0) return { text: await file.text(), fileName: file.name };
  const text = formData.get("text");
  const fileName = formData.get("fileName");
  return { text: typeof text === "string" ? text : "", fileName: typeof fileName === "string" && fileName.trim() !== "" ? fileName : undefined };
}

/** Fields: layerId, and file (an upload) or text (pasted) with optional fileName. Writes nothing. */
export async function previewImportAction(_prev: ActionState, formData: FormData): Promise<ImportPreviewState> {
  const layerId = String(formData.get("layerId") ?? "");
  return act("config:write", async () => {
    check(formData, IMPORT_FIELDS, IMPORT_OPTIONS);
    const { text, fileName } = await importText(formData);
    const preview = await previewImport(db(), layerId, text, fileName);
    return { ok: true, preview };
  });
}

/** Fields: layerId, baseRevision (from the preview), and file or text (+ fileName) as previewed. */
export async function applyImportAction(_prev: ActionState, formData: FormData): Promise<ConfigActionState> {
  const layerId = String(formData.get("layerId") ?? "");
  const baseRevision = num(String(formData.get("baseRevision") ?? ""));
  return act("config:write", async (actor) => {
    check(formData, IMPORT_FIELDS, IMPORT_OPTIONS);
    const { text, fileName } = await importText(formData);
    const result = await applyImport(db(), who(actor), { layerId, baseRevision, text, fileName });
    return saved({ ...result, warnings: [...result.importWarnings.map((w) => `${w.file}:${w.line}:${w.column}: ${w.message}`)] });
  });
}

/** "Which rule wins?" Fields: kind (app | capability), name, os, distro, major, minor, arch. Every role may ask. */
export async function explainMatchAction(_prev: ActionState, formData: FormData): Promise<ExplainState> {
  const f = formFields(formData);
  return act("config:read", async () => {
    check(formData, ["kind", ...MATCH_FIELDS]);
    return {
    ok: true,
    result: await explainMatch(
      db(),
      { kind: (f.kind ?? "") as "app" | "capability", name: f.name ?? "", os: f.os ?? "", distro: f.distro, major: f.major, minor: f.minor, arch: f.arch },
      { presence: presenceForLayer(db()) },
    ),
    };
  });
}

/** Two revisions of a layer compared (from defaults to the one before `to`, `to` to the head). */
export async function diffRevisionsAction(layerId: string, from?: number, to?: number): Promise<ActionState & { diff?: RevisionDiff }> {
  return act("config:read", async () => ({ ok: true, diff: await diffRevisions(db(), String(layerId), { from, to }) }));
}
