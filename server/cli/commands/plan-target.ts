// What `ferry plan` knows about the output side: the engine's readOutputTarget (the same facts an
// agent reads before planning): -o libvirt: the pool's type and directory, the networks, host
// bridges and defined domains; -o local: the directory; -o rhev: the storage domain under the
// mounted export path.
import { tmpdir } from "node:os";
import { createMemoryContext, type StageContext } from "../../engine/context.ts";
import { readOutputTarget } from "../../engine/target.ts";
import type { Env } from "../../engine/tools.ts";
import type { OutputTarget, ResolvedPlanOutput } from "../../v2v/index.ts";

export { defaultLibvirtUri } from "../../engine/target.ts";

export type ReadTarget = (output: ResolvedPlanOutput) => Promise<OutputTarget>;

export function createDefaultReadTarget(options: { env?: Env; ctx?: StageContext } = {}): ReadTarget {
  return (output) =>
    readOutputTarget(options.ctx ?? createMemoryContext({ scratchDir: tmpdir() }), { method: output.method, uri: output.uri, storage: output.storage }, { env: options.env });
}
