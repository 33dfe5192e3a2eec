// Reading an uploaded or pasted virt-v2v.conf for import: the core's parser, with its errors
// (every one, at file:line:col) turned into INVALID_INPUT on the `text` field.
import { ConfigParseError, formatIssue, parseConfig, type ConfigIssue } from "../v2v/index.ts";
import { AppError } from "../errors.ts";
import { toLayerModel, type LayerModel } from "./layer-model.ts";
import { validateModel } from "./validate-model.ts";

const MAX_IMPORT = 32 * 1024 * 1024;

export type ParsedImport = { fileName: string; model: LayerModel; warnings: ConfigIssue[] };

export function readImport(text: string, fileName: string | undefined, layerName: string): ParsedImport {
  const name = cleanFileName(fileName);
  if (text.length > MAX_IMPORT) throw new AppError("INVALID_INPUT", `${name} is too large to import (at most 32 MiB).`, { text: ["The file is too large (at most 32 MiB)."] });
  if (text.trim() === "") throw new AppError("INVALID_INPUT", `${name} is empty.`, { text: ["Paste or upload a virt-v2v.conf file."] });
  try {
    const parsed = parseConfig(text, name);
    // Through serialize -> parse like every stored model, so the preview shows what will be stored.
    return { fileName: name, model: validateModel(toLayerModel(parsed), layerName).model, warnings: parsed.warnings };
  } catch (e) {
    if (!(e instanceof ConfigParseError)) throw e;
    const lines = e.issues.map(formatIssue);
    throw new AppError("INVALID_INPUT", `${name} cannot be imported:\n${lines.join("\n")}`, { text: lines });
  }
}

/** The base name of an uploaded file ("site.conf"), never a path. */
export function cleanFileName(fileName: string | undefined): string {
  const base = (fileName ?? "").split(/[\\/]/).pop()?.trim() ?? "";
  const safe = base.replace(/[\u0000-\u001f]/g, "").slice(0, 200);
  return safe === "" ? "virt-v2v.conf" : safe;
}
