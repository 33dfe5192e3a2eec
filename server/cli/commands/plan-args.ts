// virt-v2v's option spellings for `ferry plan`: -ic, -oc, -os, -of, -oa and -on are single-dash
// words, which node's parseArgs would read as bundles of short flags; they are renamed to
// their long forms first. `-os=X` is accepted like `--os=X`.
const WORDS = new Set(["ic", "oc", "os", "of", "oa", "on", "op"]);

export function normalizePlanArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (const [i, arg] of args.entries()) {
    if (arg === "--") {
      out.push(...args.slice(i));
      break;
    }
    const m = /^-([a-z]{2})(=.*)?$/.exec(arg);
    const word = m?.[1];
    out.push(word !== undefined && WORDS.has(word) ? `--${word}${m?.[2] ?? ""}` : arg);
  }
  return out;
}
