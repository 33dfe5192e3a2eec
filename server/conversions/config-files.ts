// The configuration a conversion runs with: the layers at the revisions recorded when it was
// created (or re-planned), first searched first, as the core's ConfigFile list. A layer bound to
// a software repository resolves its relative app paths inside that repository's directory on
// the console host (the same rule the layer pages and the explorer use for presence).
import type { Db, Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { getStack } from "../config/get-stack.ts";
import { readStoredModel, toConfigFile } from "../config/layer-model.ts";
import { repositoryDir } from "../software/storage.ts";
import type { ConfigFile } from "../v2v/index.ts";

type Ref = { layerId?: string; file: string; revision?: number };

function refsOf(json: unknown): Ref[] | null {
  if (!Array.isArray(json)) return null;
  return json.filter((r): r is Ref => typeof r === "object" && r !== null && typeof (r as Ref).file === "string");
}

function withRepository(config: ConfigFile, repositoryId: string | null): ConfigFile {
  return repositoryId ? { ...config, pathRoot: repositoryDir(repositoryId) } : config;
}

/** The ConfigFile list for a conversion row's config_revisions (the current stack when it has none). */
export async function conversionConfig(client: Db | Tx, configRevisions: unknown): Promise<ConfigFile[]> {
  const refs = refsOf(configRevisions);
  if (!refs || refs.length === 0 || refs.some((r) => !r.layerId || r.revision === undefined)) {
    const stack = await getStack(client as Db);
    return stack.map((s) => withRepository(s.config, s.repositoryId));
  }
  const layers = await client.configLayer.findMany({ where: { id: { in: refs.map((r) => r.layerId as string) } }, select: { id: true, repositoryId: true } });
  const revisions = await client.configRevision.findMany({
    where: { OR: refs.map((r) => ({ layerId: r.layerId as string, number: r.revision as number })) },
    select: { layerId: true, number: true, model: true },
  });
  return refs.map((ref) => {
    const layer = layers.find((l) => l.id === ref.layerId);
    const revision = revisions.find((r) => r.layerId === ref.layerId && r.number === ref.revision);
    if (!layer || !revision) {
      throw new AppError(
        "CONFLICT",
        `The configuration layer ${ref.file} (revision ${ref.revision}) this conversion was planned with no longer exists. Re-plan the conversion to use the current configuration.`,
      );
    }
    return withRepository(toConfigFile(readStoredModel(revision.model), ref.file), layer.repositoryId);
  });
}
