// Every model a revision stores has been through the core: serialized to virt-v2v.conf text
// and parsed back. What is stored is the parsed result, so a layer always holds exactly what
// virt-v2v would read from its export. Parse errors become INVALID_INPUT naming the element
// and the attribute (or child element) at fault.
import { ConfigParseError, parseConfig, serializeConfig, type ConfigIssue } from "../v2v/index.ts";
import { AppError } from "../errors.ts";
import { ELEMENT_KINDS, LIST_OF, describeElement, listOf, withList, type ElementKind } from "./element-kinds.ts";
import { emptyModel, toConfigFile, toLayerModel, type LayerModel } from "./layer-model.ts";

export type ValidatedModel = { model: LayerModel; warnings: ConfigIssue[]; text: string };

export function validateModel(model: LayerModel, layerName: string): ValidatedModel {
  const text = serializeConfig(toConfigFile(model, layerName));
  try {
    const parsed = parseConfig(text, layerName);
    return { model: toLayerModel(parsed), warnings: parsed.warnings, text };
  } catch (e) {
    if (!(e instanceof ConfigParseError)) throw e;
    throw localise(model, layerName, e);
  }
}

/** Parses each element alone to say which one is at fault, and where in it. */
function localise(model: LayerModel, layerName: string, whole: ConfigParseError): AppError {
  const messages: string[] = [];
  const fieldErrors: Record<string, string[]> = {};
  for (const kind of ELEMENT_KINDS) {
    listOf(model, kind).forEach((element, index) => {
      const single = withList(emptyModel(), kind, [element] as never);
      const text = serializeConfig(toConfigFile(single, layerName));
      try {
        parseConfig(text, layerName);
      } catch (e) {
        if (!(e instanceof ConfigParseError)) throw e;
        for (const issue of e.issues) {
          const field = fieldAt(text, issue);
          const message = `${capitalise(describeElement(kind as ElementKind, element as never))}: ${issue.message}`;
          messages.push(message);
          (fieldErrors[`${LIST_OF[kind]}.${index}${field ? `.${field}` : ""}`] ??= []).push(issue.message);
        }
      }
    });
  }
  if (messages.length === 0) return new AppError("INVALID_INPUT", `This configuration is not valid: ${whole.issues.map((i) => i.message).join("; ")}`);
  return new AppError("INVALID_INPUT", messages.join("\n"), fieldErrors);
}

/** The attribute (name=) or element (<name) the core's issue position points at. */
function fieldAt(text: string, issue: ConfigIssue): string | undefined {
  const line = text.split("\n")[issue.line - 1] ?? "";
  const rest = line.slice(issue.column - 1);
  const attr = /^([A-Za-z][\w-]*)\s*=/.exec(rest);
  if (attr) return attr[1];
  const tag = /^<([A-Za-z][\w-]*)/.exec(rest);
  return tag?.[1];
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
