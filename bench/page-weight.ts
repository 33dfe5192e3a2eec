// Page weight: the JavaScript a browser loads for the conversion page (/conversions/[id]) from
// the production build, gzipped (zlib's default level, what a compressing server or proxy
// sends). Read from the build's manifests, not guessed: the root main files every app-router
// page loads (.next/build-manifest.json rootMainFiles: React, Next's router, the runtime) plus
// every entry chunk of the page's client reference manifest (the page, its layouts, and the
// not-found/forbidden/error boundaries of its tree: a slight over-count at most). Chunks loaded
// later by dynamic import() are not counted (nothing on this page loads one at start; echarts
// is only on the dashboard). The baseline is the root main files alone: what any page costs.
// The build is `next build`'s .next; when missing or older than app/ or components/, it is
// rebuilt first (minutes).
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import type { BenchRow } from "./types.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const NEXT = path.join(ROOT, ".next");
const PAGE = "/(console)/conversions/[id]/page";
const KB = 1024;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function ensureBuild(): void {
  const id = path.join(NEXT, "BUILD_ID");
  const stale = !existsSync(id) || ["app", "components"].some((d) => newestMtime(path.join(ROOT, d)) > statSync(id).mtimeMs);
  if (stale) execFileSync(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], { cwd: ROOT, stdio: "ignore" });
}

/** The page's entry chunks, from its client reference manifest (a script that sets a global). */
export function pageEntryChunks(manifestFile: string, page: string): string[] {
  const holder: { __RSC_MANIFEST?: Record<string, { entryJSFiles?: Record<string, string[]> }> } = {};
  new Function("globalThis", "self", readFileSync(manifestFile, "utf8"))(holder, holder);
  const entry = holder.__RSC_MANIFEST?.[page];
  if (!entry?.entryJSFiles) throw new Error(`${manifestFile} has no entry JS files for ${page}`);
  return [...new Set(Object.values(entry.entryJSFiles).flat())];
}

const gzipped = (chunks: readonly string[]) => chunks.reduce((sum, c) => sum + gzipSync(readFileSync(path.join(NEXT, c))).length, 0);

export async function run(): Promise<BenchRow[]> {
  ensureBuild();
  const build = JSON.parse(readFileSync(path.join(NEXT, "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };
  const manifest = path.join(NEXT, "server/app", `${PAGE}_client-reference-manifest.js`);
  const page = pageEntryChunks(manifest, PAGE);
  const all = [...new Set([...build.rootMainFiles, ...page])];
  const base = gzipped(build.rootMainFiles);
  const total = gzipped(all);
  const raw = all.reduce((sum, c) => sum + statSync(path.join(NEXT, c)).size, 0);
  return [
    {
      what: `page weight: JS of /conversions/[id], gzipped (${all.length} chunks, build ${readFileSync(path.join(NEXT, "BUILD_ID"), "utf8").trim()})`,
      baseline: `${(base / KB).toFixed(1)} KB (root main files: React + Next runtime)`,
      ferry: `${(total / KB).toFixed(1)} KB (${(raw / KB).toFixed(0)} KB before gzip)`,
      goal: "< 250 KB",
      pass: total < 250 * KB,
      raw: { gzipBytes: total, rawBytes: raw, baselineGzipBytes: base, chunks: all.length },
    },
  ];
}
