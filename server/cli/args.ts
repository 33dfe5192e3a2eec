// Option parsing over node:util parseArgs, turning its errors into usage errors.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { CliUsageError } from "./io.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

export function parseOptions<O extends Options>(args: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    if (error instanceof Error && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS")) {
      throw new CliUsageError(error.message.split("\n")[0] ?? error.message);
    }
    throw error;
  }
}

export function requireOne(value: string | undefined, flag: string): string {
  if (value === undefined || value === "") throw new CliUsageError(`${flag} is required`);
  return value;
}
