// ferry vercmp A B: rpm's full EVR comparison, printed as -1, 0 or 1.
import { RpmVersionError, compareEvrStrings } from "../../v2v/index.ts";
import type { Command } from "../command.ts";
import { CliUsageError, EXIT_FAILURE, EXIT_OK } from "../io.ts";

export const vercmpCommand: Command = {
  name: "vercmp",
  summary: "compare two [epoch:]version[-release] strings the way rpm does",
  usage: "ferry vercmp A B\n\nPrints -1 if A is older than B, 0 if equal, 1 if newer.",
  run(args, io) {
    // By hand, not parseArgs: versions such as "-1" are not options here.
    const positionals = args[0] === "--" ? args.slice(1) : args;
    if (positionals.length !== 2) throw new CliUsageError("vercmp takes exactly two versions");
    const [a, b] = positionals as [string, string];
    try {
      io.stdout(`${compareEvrStrings(a, b)}\n`);
      return EXIT_OK;
    } catch (error) {
      if (!(error instanceof RpmVersionError)) throw error;
      io.stderr(`${error.message}\n`);
      return EXIT_FAILURE;
    }
  },
};
