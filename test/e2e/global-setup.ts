// Builds the console once for the e2e run (the tests start it in production mode).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { ROOT } from "../helpers/console-process.ts";

export default function setup(): void {
  if (process.env.FERRY_E2E_SKIP_BUILD === "1") return;
  const started = Date.now();
  const result = spawnSync(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`next build failed:\n${result.stdout}\n${result.stderr}`);
  // The guest project runs an e2e file too: one build per vitest process is enough.
  process.env.FERRY_E2E_SKIP_BUILD = "1";
  process.stderr.write(`e2e: next build took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
