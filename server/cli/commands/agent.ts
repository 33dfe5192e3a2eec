// ferry agent --server URL --token TOKEN: runs an agent on a conversion host. It talks to the
// console only through /api/agent/* with its token (never with database credentials), runs
// claimed conversions with the real tools, and stops cleanly on SIGINT/SIGTERM (running
// attempts are reported interrupted, so they can be retried).
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseOptions } from "../args.ts";
import type { Command } from "../command.ts";
import { CliUsageError, EXIT_FAILURE, EXIT_OK } from "../io.ts";

function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version?: string }).version ?? "0.0.0";
}

export const agentCommand: Command = {
  name: "agent",
  summary: "run a conversion agent that works for a console (--server URL --token TOKEN)",
  usage: [
    "ferry agent --server URL --token TOKEN [--name NAME] [--scratch DIR] [--source-dir DIR ...] [--concurrency N]",
    "",
    "  --server URL       the console, e.g. https://ferry.example:3000",
    "  --token TOKEN      an agent token an admin created on the Agents page (or FERRY_AGENT_TOKEN)",
    "  --name NAME        how the agent appears in the console (default: this host's name)",
    "  --scratch DIR      scratch space for conversions (default: the system temp dir)",
    "  --source-dir DIR   a directory local source disks may be read from (repeatable; symlinks",
    "                     are resolved first). Default: none, so only remote (ssh, https) sources",
    "                     are accepted",
    "  --concurrency N    conversions run at the same time (default 1)",
    "  --libvirt URI      the libvirt whose pools and networks are reported (default qemu:///system)",
    "  --runner copy      run only the copy stage of each plan (checks a host's storage path)",
    "  --software-root DIR  where relative app paths (RPMs, driver folders) are found on this host",
    "                     (a copy of the console's software repositories; default: each layer's path-root)",
    "",
    "Stops on SIGINT/SIGTERM; conversions it was running are reported interrupted.",
  ].join("\n"),
  async run(args, io) {
    const { values } = parseOptions(args, {
      server: { type: "string" },
      token: { type: "string" },
      name: { type: "string" },
      scratch: { type: "string" },
      concurrency: { type: "string" },
      libvirt: { type: "string" },
      runner: { type: "string" },
      "software-root": { type: "string" },
      "source-dir": { type: "string", multiple: true },
    });
    const server = values.server;
    if (!server) throw new CliUsageError("--server URL is required");
    if (!/^https?:\/\/[^/]/.test(server)) throw new CliUsageError(`--server must be an http:// or https:// URL, not ${server}`);
    const token = values.token ?? process.env.FERRY_AGENT_TOKEN;
    if (!token) throw new CliUsageError("--token TOKEN is required (or set FERRY_AGENT_TOKEN)");
    const concurrency = Number(values.concurrency ?? "1");
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new CliUsageError(`--concurrency must be a whole number from 1 to 64, not ${values.concurrency}`);
    if (values.runner !== undefined && values.runner !== "copy" && values.runner !== "pipeline") throw new CliUsageError(`--runner must be copy or pipeline, not ${values.runner}`);

    const [{ startAgentRuntime }, { httpTransport }, runners, { createPipelineRunner }] = await Promise.all([
      import("../../agents/runtime.ts"),
      import("../../agents/transport.ts"),
      import("../../agents/runners.ts"),
      import("../../agents/pipeline-runner.ts"),
    ]);
    const softwareRoot = values["software-root"] === undefined ? undefined : path.resolve(values["software-root"]);
    const stamp = () => new Date().toISOString();
    let fatalMessage: string | undefined;
    let agent;
    try {
      agent = await startAgentRuntime({
        transport: httpTransport(server, token),
        runner: values.runner === "copy" ? runners.copyRunner : softwareRoot ? createPipelineRunner({ softwareRoot }) : runners.pipelineRunner,
        name: values.name ?? os.hostname(),
        version: packageVersion(),
        concurrency,
        scratchDir: path.resolve(values.scratch ?? os.tmpdir()),
        sourceDirs: (values["source-dir"] ?? []).map((d) => path.resolve(d)),
        sourceDirsHint: "Allow its directory with `ferry agent --source-dir DIR` (repeatable) on this agent's host.",
        libvirtUri: values.libvirt,
        onMessage: (level, message) => (level === "info" ? io.stdout : io.stderr)(`${stamp()} ${message}\n`),
        onFatal: (message) => (fatalMessage = message),
      });
    } catch (e) {
      io.stderr(`ferry agent: ${e instanceof Error ? e.message : String(e)}\n`);
      return EXIT_FAILURE;
    }
    const onSignal = (signal: string) => void agent.stop(`The agent ${agent.name} was stopped (${signal}) while running this conversion.`);
    process.once("SIGINT", () => onSignal("SIGINT"));
    process.once("SIGTERM", () => onSignal("SIGTERM"));
    await agent.stopped;
    io.stdout(`${stamp()} agent ${agent.name} stopped\n`);
    return fatalMessage ? EXIT_FAILURE : EXIT_OK;
  },
};
