// Turns a form's flat fields into the nested input the element operations take: repeated rows
// are named "networks.0.targetName", "deps.1.minversion" (or "deps.0" for a list of names).
// Entirely blank rows (a form's empty "add another" row) are dropped; error keys are mapped
// back to the row numbers the form used, so each message lands on its own input.
export type NestedForm = { value: Record<string, unknown>; fieldKey: (key: string) => string };

const ROW = /^([A-Za-z]\w*)\.(\d+)(?:\.([A-Za-z]\w*))?$/;

export function nestForm(fields: Record<string, string>): NestedForm {
  const value: Record<string, unknown> = {};
  const rows = new Map<string, Map<number, Record<string, string> | string>>();
  for (const [key, v] of Object.entries(fields)) {
    const m = ROW.exec(key);
    if (!m) {
      value[key] = v;
      continue;
    }
    const [, list, index, field] = m as unknown as [string, string, string, string | undefined];
    let byIndex = rows.get(list);
    if (!byIndex) rows.set(list, (byIndex = new Map()));
    const i = Number(index);
    if (field === undefined) byIndex.set(i, v);
    else {
      const row = byIndex.get(i);
      const record = typeof row === "object" ? row : {};
      record[field] = v;
      byIndex.set(i, record);
    }
  }
  const original = new Map<string, number[]>();
  for (const [list, byIndex] of rows) {
    const kept = [...byIndex.entries()].sort(([a], [b]) => a - b).filter(([, row]) => !isBlank(row));
    value[list] = kept.map(([, row]) => row);
    original.set(list, kept.map(([i]) => i));
  }
  return {
    value,
    fieldKey: (key) => {
      const m = ROW.exec(key);
      if (!m) return key;
      const at = original.get(m[1]!)?.[Number(m[2])];
      return at === undefined ? key : `${m[1]}.${at}${m[3] ? `.${m[3]}` : ""}`;
    },
  };
}

function isBlank(row: Record<string, string> | string): boolean {
  return typeof row === "string" ? row.trim() === "" : Object.values(row).every((v) => v.trim() === "");
}

export function remapFieldErrors(errors: Record<string, string[]> | undefined, fieldKey: (key: string) => string): Record<string, string[]> | undefined {
  if (!errors) return undefined;
  const out: Record<string, string[]> = {};
  for (const [key, messages] of Object.entries(errors)) (out[fieldKey(key)] ??= []).push(...messages);
  return out;
}
