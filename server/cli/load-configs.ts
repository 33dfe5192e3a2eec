// Reads the -f files in order and parses them, reporting load errors as virt-v2v words them
// and parse errors as FILE:LINE:COL lines.
import { ConfigParseError, parseConfig, type ConfigFile } from "../v2v/index.ts";
import { CliExit, CliUsageError, EXIT_FAILURE, type CliIo } from "./io.ts";

export function loadConfigs(paths: readonly string[] | undefined, io: CliIo): ConfigFile[] {
  if (!paths || paths.length === 0) throw new CliUsageError("at least one -f FILE is required");
  return paths.map((path) => loadConfig(path, io));
}

export function loadConfig(path: string, io: CliIo): ConfigFile {
  const text = readConfigText(path, io);
  try {
    return parseConfig(text, path);
  } catch (error) {
    if (error instanceof ConfigParseError) {
      io.stderr(`${error.format()}\n`);
      throw new CliExit(EXIT_FAILURE);
    }
    throw error;
  }
}

export function readConfigText(path: string, io: CliIo): string {
  if (!io.exists(path)) {
    io.stderr(`Config file ${path} doesn't exist\n`);
    throw new CliExit(EXIT_FAILURE);
  }
  if (!io.readable(path)) {
    io.stderr(`Don't have permissions to read ${path}\n`);
    throw new CliExit(EXIT_FAILURE);
  }
  try {
    return io.readFile(path);
  } catch (error) {
    io.stderr(`Unable to read config file ${path}: ${error instanceof Error ? error.message : String(error)}\n`);
    throw new CliExit(EXIT_FAILURE);
  }
}
