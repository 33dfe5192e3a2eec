// The `ferry` process: reads its version, runs the dispatcher, sets the exit status.
import { readFileSync } from "node:fs";
import { runCli } from "./dispatch.ts";
import { nodeIo } from "./io.ts";

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string };
  return pkg.version ?? "0.0.0";
}

try {
  process.exitCode = await runCli(process.argv.slice(2), { io: nodeIo(), version: packageVersion() });
} catch (error) {
  process.stderr.write(`ferry: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
}
