// ferry match: runs the matching ladder over -f files and prints the winner as JSON.
import { NoMatchError, isIfInstalled, matchApp, matchCapability, resolveAppPath } from "../../v2v/index.ts";
import { parseOptions } from "../args.ts";
import type { Command } from "../command.ts";
import { CliUsageError, EXIT_FAILURE, EXIT_OK } from "../io.ts";
import { loadConfigs } from "../load-configs.ts";

export const matchCommand: Command = {
  name: "match",
  summary: "find the <app> or <capability> virt-v2v would use for a guest",
  usage: [
    "ferry match -f FILE [-f FILE ...] (--app NAME | --capability NAME) --os OS",
    "            [--distro D] [--major N] [--minor N] [--arch A]",
    "",
    "Files are searched in order; the first file with a match wins. Capabilities are",
    "matched without an arch (--arch is ignored for them). Prints one JSON object;",
    "exit 1 with virt-v2v's message when nothing matches.",
  ].join("\n"),
  run(args, io) {
    const { values } = parseOptions(args, {
      config: { type: "string", short: "f", multiple: true },
      app: { type: "string" },
      capability: { type: "string" },
      os: { type: "string" },
      distro: { type: "string" },
      major: { type: "string" },
      minor: { type: "string" },
      arch: { type: "string" },
    });
    if ((values.app === undefined) === (values.capability === undefined)) {
      throw new CliUsageError("give exactly one of --app NAME or --capability NAME");
    }
    if (values.os === undefined || values.os === "") throw new CliUsageError("--os is required");
    const files = loadConfigs(values.config, io);
    const query = {
      os: values.os,
      distro: values.distro,
      major: values.major,
      minor: values.minor,
    };
    try {
      if (values.app !== undefined) {
        const m = matchApp(files, { ...query, name: values.app, arch: values.arch });
        const root = files[m.fileIndex]?.pathRoot;
        io.stdout(
          JSON.stringify({
            kind: "app",
            name: m.element.name,
            file: m.file,
            rung: m.rung,
            path: resolveAppPath(m.element.path, root),
            deps: m.element.deps,
          }) + "\n",
        );
      } else {
        const m = matchCapability(files, { ...query, name: values.capability ?? "" });
        io.stdout(
          JSON.stringify({
            kind: "capability",
            name: m.element.name,
            file: m.file,
            rung: m.rung,
            deps: m.element.deps.map((d) => ({
              name: d.name,
              minversion: d.minversion ?? null,
              ifinstalled: isIfInstalled(d),
            })),
          }) + "\n",
        );
      }
      return EXIT_OK;
    } catch (error) {
      if (!(error instanceof NoMatchError)) throw error;
      io.stderr(`${error.message}\n`);
      return EXIT_FAILURE;
    }
  },
};
