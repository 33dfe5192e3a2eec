// Programs an agent starts carry FERRY_AGENT_SCRATCH=<its scratch root> in their environment
// (set on the agent process, inherited by every child). When an agent dies with SIGKILL its
// qemu-img and friends live on in their own process groups; the next start of the same agent
// finds them by that marker and kills them before wiping the scratch root. Linux (/proc) only.
import { readdir, readFile } from "node:fs/promises";

export const AGENT_MARKER = "FERRY_AGENT_SCRATCH";

export async function killOrphans(scratchRoot: string): Promise<number[]> {
  const marker = `${AGENT_MARKER}=${scratchRoot}`;
  const killed: number[] = [];
  for (const entry of await readdir("/proc").catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = (await readFile(`/proc/${entry}/environ`, "utf8")).split("\0");
      if (!environ.includes(marker)) continue;
      process.kill(Number(entry), "SIGKILL");
      killed.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return killed;
}
