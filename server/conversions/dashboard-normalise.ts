// One failure cause, one key: an error message with what differs between occurrences of the
// same cause (the guest's own names, UUIDs, paths, URIs, addresses, numbers) replaced by
// placeholders. Pure: the dashboard groups by its result and the unit tests hold it to cases.

const RULES: [RegExp, string][] = [
  // Order matters: a URI holds a path and numbers; a path may hold a UUID.
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"`,;)\]]*/gi, "<uri>"],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>"],
  // A quoted path may hold spaces.
  [/(['"`])(?:~|\.{1,2})?\/[^'"`]*\1/g, "$1<path>$1"],
  [/(^|[\s(=:,[])(?:~|\.{1,2})?\/[^\s'"`,;)\]]*/g, "$1<path>"],
  [/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, "<ip>"],
  [/\b(?:[0-9a-f]{2}:){5}[0-9a-f]{2}\b/gi, "<mac>"],
  [/\b0x[0-9a-f]+\b/gi, "<n>"],
  [/\b[0-9a-f]{12,}\b/gi, "<hex>"],
  // Not inside a word: "virt-v2v" and "qcow2" are names, "93s" and "agent-3" are numbers.
  [/(?<![A-Za-z])\d+(?:[.,]\d+)*/g, "<n>"],
];

/** Names the message may carry that belong to this conversion (guest, output name, volumes). */
export function normaliseError(message: string, names: readonly (string | null | undefined)[] = []): string {
  let s = message.trim();
  // Longest first, so "web1-sda" is not half-replaced by "web1".
  const own = [...new Set(names.filter((n): n is string => typeof n === "string" && n.trim().length > 1))].sort((a, b) => b.length - a.length);
  for (const name of own) s = s.split(name).join("<name>");
  for (const [re, to] of RULES) s = s.replace(re, to);
  // "<name>-sda" and "<name>-sdb" are the same cause.
  s = s.replace(/<name>[-_.]?[a-z]*<n>|<name>-[a-z]{2,4}\b/g, "<name>");
  return s.replace(/\s+/g, " ").slice(0, 500);
}
