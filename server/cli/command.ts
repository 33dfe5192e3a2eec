// The shape of a `ferry` verb. The dispatcher finds verbs by name; a verb with
// subcommands (like `config`) lists them, so later verbs plug in without touching it.
import type { CliIo } from "./io.ts";

export type Command = {
  name: string;
  summary: string;
  usage: string;
  run?: (args: string[], io: CliIo) => Promise<number> | number;
  subcommands?: Command[];
};
