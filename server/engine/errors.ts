// Typed errors of the engine; callers classify them with instanceof and `code`.

export type MissingTool = { tool: string; package: string };

/** Programs a stage needs are not installed on this host. */
export class MissingToolsError extends Error {
  readonly code = "MISSING_TOOLS";
  readonly missing: MissingTool[];
  constructor(missing: MissingTool[]) {
    const list = missing.map((m) => `${m.tool} (Debian package ${m.package})`).join(", ");
    const packages = [...new Set(missing.map((m) => m.package))].join(" ");
    super(`Required programs are not installed: ${list}. Install them with: apt-get install ${packages}`);
    this.name = "MissingToolsError";
    this.missing = missing;
  }
}

/** A program exited with a non-zero status or was killed by someone else. */
export class ToolFailedError extends Error {
  readonly code = "TOOL_FAILED";
  readonly command: string;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stderrTail: string;
  constructor(command: string, exitCode: number | null, signal: string | null, stderrTail: string) {
    const how = exitCode !== null ? `exit code ${exitCode}` : `signal ${signal ?? "unknown"}`;
    super(`${command} failed (${how})${stderrTail ? `: ${stderrTail}` : ""}`);
    this.name = "ToolFailedError";
    this.command = command;
    this.exitCode = exitCode;
    this.signal = signal;
    this.stderrTail = stderrTail;
  }
}

/** The stage's signal was aborted; the program was killed (with its process group). */
export class CancelledError extends Error {
  readonly code = "CANCELLED";
  constructor(what: string) {
    super(`${what} was cancelled`);
    this.name = "CancelledError";
  }
}
