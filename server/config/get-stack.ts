// The whole ordered configuration, first searched first: the list of files the core's match,
// network, profile and software-plan functions take (like virt-v2v's repeated -f).
import type { Db } from "../db/client.ts";
import type { ConfigFile } from "../v2v/index.ts";
import { emptyModel, readStoredModel, toConfigFile } from "./layer-model.ts";

export type StackEntry = {
  layerId: string;
  name: string;
  kind: "vendor" | "team";
  repositoryId: string | null;
  /** The revision read: a conversion records these to say exactly what it used. */
  revision: number;
  config: ConfigFile;
};

export async function getStack(client: Db): Promise<StackEntry[]> {
  const layers = await client.configLayer.findMany({ orderBy: { position: "asc" } });
  const heads = await client.configRevision.findMany({
    where: { OR: layers.map((l) => ({ layerId: l.id, number: l.headRevision })) },
    select: { layerId: true, number: true, model: true },
  });
  const byLayer = new Map(heads.map((h) => [h.layerId, h]));
  return layers.map((l) => {
    const head = byLayer.get(l.id);
    const model = head ? readStoredModel(head.model) : emptyModel();
    return { layerId: l.id, name: l.name, kind: l.kind === "vendor" ? "vendor" : "team", repositoryId: l.repositoryId, revision: head?.number ?? 0, config: toConfigFile(model, l.name) };
  });
}

export function stackFiles(stack: readonly StackEntry[]): ConfigFile[] {
  return stack.map((s) => s.config);
}
