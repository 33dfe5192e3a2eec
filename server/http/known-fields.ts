// The fields an action's form sends, checked before anything else reads them: a misspelt or
// stray field is named back to the caller (INVALID_INPUT on that field) instead of being
// silently dropped, and an overlong value is refused by name before it reaches a query.
import { AppError } from "../errors.ts";

export type FieldName = string | RegExp;

/** Longest value of a form field unless the action says otherwise (a pasted dependency list fits). */
export const MAX_FIELD_CHARS = 64 * 1024;

const shown = (k: string) => JSON.stringify(k.length > 80 ? `${k.slice(0, 80)}…` : k);

export type FieldOptions = {
  /** Fields allowed longer than MAX_FIELD_CHARS, with their limit. */
  longer?: Record<string, number>;
  /** Fields that may be file uploads (any other field must be text). */
  files?: readonly string[];
  /** Fields that, when given, are whole numbers (a revision, a row index). */
  numbers?: readonly string[];
};

/**
 * Throws INVALID_INPUT naming every field of `formData` that `allowed` does not list, every
 * file where text is expected, and every text value longer than its limit. Files are not
 * measured here (their readers cap them).
 */
export function checkFormFields(formData: FormData, allowed: readonly FieldName[], opts: FieldOptions = {}): void {
  const longer = opts.longer ?? {};
  const fieldErrors: Record<string, string[]> = {};
  for (const [key, value] of formData.entries()) {
    if (key.startsWith("$ACTION")) continue; // Next's own progressive-enhancement fields
    if (!allowed.some((a) => (typeof a === "string" ? a === key : a.test(key)))) {
      fieldErrors[key] = [`Unknown field ${shown(key)}: this form does not take it.`];
      continue;
    }
    if (typeof value !== "string" && !opts.files?.includes(key)) {
      fieldErrors[key] = ["Expected text here, not a file."];
      continue;
    }
    const max = longer[key] ?? MAX_FIELD_CHARS;
    if (typeof value === "string" && value.length > max) fieldErrors[key] = [`Too long: ${value.length} characters, at most ${max}.`];
    else if (typeof value === "string" && opts.numbers?.includes(key) && !/^\s*\d*\s*$/.test(value)) fieldErrors[key] = [`${shown(key)} must be a whole number, not ${shown(value)}.`];
  }
  const keys = Object.keys(fieldErrors);
  if (keys.length > 0) throw new AppError("INVALID_INPUT", `Check the ${keys.length === 1 ? "field" : "fields"} ${keys.map(shown).join(", ")}.`, fieldErrors);
}
