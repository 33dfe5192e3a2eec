// ferry config validate | list-profiles | import | export
import { ConfigParseError, formatIssue, formatProfileList, parseConfig } from "../../v2v/index.ts";
import { parseOptions } from "../args.ts";
import type { Command } from "../command.ts";
import { CliExit, CliUsageError, EXIT_FAILURE, EXIT_OK } from "../io.ts";
import { loadConfigs, readConfigText } from "../load-configs.ts";
import { configExportCommand } from "./config-export.ts";
import { configImportCommand } from "./config-import.ts";

const validateCommand: Command = {
  name: "validate",
  summary: "check virt-v2v.conf files; errors as FILE:LINE:COL: message",
  usage: [
    "ferry config validate FILE [FILE ...]",
    "",
    "Exit 0 when every file is valid (warnings go to stderr as FILE:LINE:COL: warning: ...),",
    "1 with one FILE:LINE:COL: message line per error on stderr.",
  ].join("\n"),
  run(args, io) {
    const { positionals } = parseOptions(args, {}, true);
    if (positionals.length === 0) throw new CliUsageError("config validate needs at least one FILE");
    let status = EXIT_OK;
    for (const path of positionals) {
      let text: string;
      try {
        text = readConfigText(path, io);
      } catch (error) {
        if (!(error instanceof CliExit)) throw error;
        status = EXIT_FAILURE;
        continue;
      }
      try {
        const config = parseConfig(text, path);
        for (const w of config.warnings) io.stderr(`${w.file}:${w.line}:${w.column}: warning: ${w.message}\n`);
        io.stdout(`${path}: valid\n`);
      } catch (error) {
        if (!(error instanceof ConfigParseError)) throw error;
        io.stderr(error.issues.map((i) => `${formatIssue(i)}\n`).join(""));
        status = EXIT_FAILURE;
      }
    }
    return status;
  },
};

const listProfilesCommand: Command = {
  name: "list-profiles",
  summary: "print the target profiles defined in the files (virt-v2v --list-profiles)",
  usage: "ferry config list-profiles -f FILE [-f FILE ...]",
  run(args, io) {
    const { values } = parseOptions(args, { config: { type: "string", short: "f", multiple: true } });
    io.stdout(formatProfileList(loadConfigs(values.config, io)));
    return EXIT_OK;
  },
};

export const configCommand: Command = {
  name: "config",
  summary: "work with virt-v2v.conf files",
  usage: "ferry config <validate|list-profiles|import|export> ...",
  subcommands: [validateCommand, listProfilesCommand, configImportCommand, configExportCommand],
};
