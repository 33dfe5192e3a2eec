// Finds the verb (and subcommand) for argv, handles --help/--version and turns errors into
// exit statuses: 0 success, 1 failure (explained on stderr), 2 bad command-line syntax.
import type { Command } from "./command.ts";
import { commands } from "./commands/index.ts";
import { CliExit, CliUsageError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from "./io.ts";
import { UsageError } from "../v2v/index.ts";

const HELP_HINT = "Try 'ferry --help' for more information.";

function overview(list: Command[]): string {
  const width = Math.max(...list.map((c) => c.name.length));
  const lines = list.flatMap((c) =>
    c.subcommands
      ? c.subcommands.map((s) => `  ${`${c.name} ${s.name}`.padEnd(width + 16)}${s.summary}`)
      : [`  ${c.name.padEnd(width + 16)}${c.summary}`],
  );
  return [
    "ferry: convert virtual machines to run on KVM (virt-v2v's configuration tools)",
    "",
    "Usage: ferry <command> [options]",
    "",
    "Commands:",
    ...lines,
    "",
    "Options:",
    "  --help       show this help, or a command's help with ferry <command> --help",
    "  --version    print ferry's version",
    "",
  ].join("\n");
}

export type CliContext = { io: CliIo; version: string };

export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const { io } = ctx;
  const [first, ...rest] = argv;
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    io.stdout(overview(commands));
    return first === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (first === "--version" || first === "-V") {
    io.stdout(`ferry ${ctx.version}\n`);
    return EXIT_OK;
  }
  try {
    return await runCommand(commands, first, rest, io, "ferry");
  } catch (error) {
    if (error instanceof CliExit) return error.status;
    if (error instanceof CliUsageError) {
      io.stderr(`ferry: ${error.message}\n${HELP_HINT}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      io.stderr(`ferry: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    throw error;
  }
}

async function runCommand(list: Command[], name: string, args: string[], io: CliIo, prefix: string): Promise<number> {
  const command = list.find((c) => c.name === name);
  if (!command) throw new CliUsageError(`unknown command '${prefix === "ferry" ? name : `${prefix} ${name}`}'`);
  const path = `${prefix} ${command.name}`;
  if (args.includes("--help") || args.includes("-h")) {
    const subs = command.subcommands?.map((s) => `  ${s.name.padEnd(16)}${s.summary}`) ?? [];
    io.stdout(`Usage: ${command.usage}\n${subs.length ? `\nCommands:\n${subs.join("\n")}\n` : ""}`);
    return EXIT_OK;
  }
  if (command.subcommands) {
    const [sub, ...subArgs] = args;
    if (sub === undefined) throw new CliUsageError(`${path} needs a command: ${command.subcommands.map((s) => s.name).join(", ")}`);
    return runCommand(command.subcommands, sub, subArgs, io, path);
  }
  if (!command.run) return EXIT_FAILURE;
  return command.run(args, io);
}
