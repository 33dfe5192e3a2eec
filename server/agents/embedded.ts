// The console's own agent (kind "embedded"), started by server.ts unless FERRY_EMBEDDED_AGENT=0,
// talking to the database through the same service functions the agent routes use; and the
// heartbeat sweeper, which only the console runs.
import os from "node:os";
import path from "node:path";
import type { Db } from "../db/client.ts";
import { logger } from "../log.ts";
import { pipelineRunner } from "./runners.ts";
import { startAgentRuntime, type ConversionRunner } from "./runtime.ts";
import { startSweeper } from "./sweeper.ts";
import { databaseTransport } from "./db-transport.ts";
import { sourceDirsFromEnv } from "../engine/source-dirs.ts";

const log = logger("agent");

export type EmbeddedAgentOptions = { version: string; dataDir: string; runner?: ConversionRunner; concurrency?: number };

/** Starts the sweeper and (unless FERRY_EMBEDDED_AGENT=0) the embedded agent; returns one stop. */
export async function startConsoleAgents(client: Db, options: EmbeddedAgentOptions): Promise<{ stop: () => Promise<void> }> {
  const sweeper = startSweeper(client);
  if (process.env.FERRY_EMBEDDED_AGENT === "0") {
    log.info("embedded agent disabled (FERRY_EMBEDDED_AGENT=0): conversions run on remote agents only");
    return { stop: () => sweeper.stop() };
  }
  const concurrency = options.concurrency ?? Math.max(1, Number(process.env.FERRY_EMBEDDED_AGENT_CONCURRENCY ?? 1) || 1);
  let agent;
  try {
    agent = await startAgentRuntime({
      transport: databaseTransport(client),
      runner: options.runner ?? pipelineRunner,
      name: `embedded@${os.hostname()}`,
      version: options.version,
      concurrency,
      scratchDir: path.join(options.dataDir, "scratch"),
      sourceDirs: sourceDirsFromEnv(process.env.FERRY_SOURCE_DIRS),
      sourceDirsHint: "Add its directory to FERRY_SOURCE_DIRS (colon-separated) in the console's environment and restart the console.",
      onMessage: (level, message) => log[level](message),
    });
  } catch (e) {
    // The console runs without its agent rather than not at all (e.g. an admin retired it).
    log.error(`the embedded agent did not start: ${e instanceof Error ? e.message : String(e)}`);
    return { stop: () => sweeper.stop() };
  }
  return {
    stop: async () => {
      await agent.stop(`The console stopped while its embedded agent was running this conversion.`);
      await sweeper.stop();
    },
  };
}
