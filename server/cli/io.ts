// What a command may touch: output streams and the host's files. The pure core never reads
// files; commands read them here and hand the text over.
import { accessSync, constants, readFileSync, statSync } from "node:fs";

export type CliIo = {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads a UTF-8 file; throws the node error (code ENOENT, EACCES...). */
  readFile: (path: string) => string;
  /** Whether a path exists and is readable (virt-v2v's `-r`). */
  readable: (path: string) => boolean;
  exists: (path: string) => boolean;
};

export function nodeIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readFile: (path) => readFileSync(path, "utf8"),
    readable: (path) => {
      try {
        accessSync(path, constants.R_OK);
        return true;
      } catch {
        return false;
      }
    },
    exists: (path) => {
      try {
        statSync(path);
        return true;
      } catch {
        return false;
      }
    },
  };
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Bad command-line syntax: reported with a hint to --help, exit 2. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliUsageError";
  }
}

/** A failure already explained to the user on stderr; carries the exit status. */
export class CliExit extends Error {
  readonly status: number;
  constructor(status: number) {
    super(`exit ${status}`);
    this.name = "CliExit";
    this.status = status;
  }
}
