// One reading of /proc/PID/stat (Linux) for the places that ask whether a process is alive, a
// zombie, or in which process group: the engine's process groups, the embedded PostgreSQL's
// stop, the tests' process checks. (The appliance watcher in engine/guest-session.ts reads it
// from a shell, since it runs after Node is gone.)
import { readFileSync } from "node:fs";

export type ProcStat = {
  /** R, S, D, Z (zombie: exited, not reaped), T... */
  state: string;
  ppid: number;
  /** The process group. */
  pgrp: number;
};

/** The process's state, parent and group; undefined when it is gone or /proc cannot be read. */
export function procStat(pid: number | string): ProcStat | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so fields are
  // counted from the last ")".
  const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  if (state === undefined) return undefined;
  return { state, ppid: Number(ppid), pgrp: Number(pgrp) };
}
