// A minimal reader of what libvirt offers on this host: storage pools and networks (virsh) and
// host bridges (/sys/class/net/*/bridge). The fuller one lives with the output stage; this one
// is what the agent falls back on (see setHostCapabilitiesReader).
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { StageContext } from "../engine/context.ts";
import { run, which } from "../engine/tools.ts";
import type { HostCapabilities } from "./capabilities.ts";

function quietContext(signal: AbortSignal): StageContext {
  return { log: () => undefined, progress: () => undefined, signal, scratchDir: "" };
}

const names = (stdout: string) =>
  stdout
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");

export async function hostBridges(): Promise<string[]> {
  const base = "/sys/class/net";
  const found: string[] = [];
  for (const name of await readdir(base).catch(() => [] as string[])) {
    if (await stat(join(base, name, "bridge")).then(() => true, () => false)) found.push(name);
  }
  return found.sort();
}

export async function readLibvirtHost(options: { uri: string; signal?: AbortSignal }): Promise<HostCapabilities> {
  const bridges = await hostBridges();
  const virsh = which("virsh");
  if (!virsh) return { uri: options.uri, pools: [], networks: [], bridges, error: "virsh is not installed (Debian package libvirt-clients)" };
  const ctx = quietContext(options.signal ?? AbortSignal.timeout(20_000));
  try {
    const all = names((await run(ctx, virsh, ["-c", options.uri, "pool-list", "--all", "--name"])).stdout);
    const active = new Set(names((await run(ctx, virsh, ["-c", options.uri, "pool-list", "--name"])).stdout));
    const networks = names((await run(ctx, virsh, ["-c", options.uri, "net-list", "--all", "--name"])).stdout);
    return { uri: options.uri, pools: all.map((name) => ({ name, active: active.has(name) })), networks, bridges };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { uri: options.uri, pools: [], networks: [], bridges, error: `libvirt at ${options.uri} did not answer: ${message}` };
  }
}
