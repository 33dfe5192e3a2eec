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

/** virt-v2v's options (0.9.1 GetOptions, as normalizePlanArgs renames them), shared by plan and convert. */
export const V2V_OPTIONS = {
  input: { type: "string", short: "i" },
  ic: { type: "string" },
  output: { type: "string", short: "o" },
  oc: { type: "string" },
  os: { type: "string" },
  op: { type: "string" },
  of: { type: "string" },
  oa: { type: "string" },
  on: { type: "string" },
  config: { type: "string", short: "f", multiple: true },
  network: { type: "string", short: "n", multiple: true },
  bridge: { type: "string", short: "b", multiple: true },
  profile: { type: "string", short: "p" },
  "software-root": { type: "string" },
  vmtype: { type: "string" },
  "domain-type": { type: "string" },
} as const;
