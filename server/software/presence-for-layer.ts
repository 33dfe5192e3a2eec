// presence(layerId, path) for the configuration explorer: true/false for a relative app path
// (present in the layer's repository or not), null for an absolute one (it lives on the agent
// host, which the console cannot see). Layer lookups are cached for the life of the function.
import path from "node:path";
import type { Db, Tx } from "../db/client.ts";
import { filePresence } from "./file-presence.ts";

export type Presence = (layerId: string, appPath: string) => Promise<boolean | null>;

export function presenceForLayer(client: Db | Tx): Presence {
  const repositories = new Map<string, Promise<string | null>>();
  const repositoryOf = (layerId: string) => {
    let found = repositories.get(layerId);
    if (!found) {
      found = client.configLayer.findUnique({ where: { id: layerId }, select: { repositoryId: true } }).then((l) => l?.repositoryId ?? null);
      repositories.set(layerId, found);
    }
    return found;
  };
  return async (layerId, appPath) => {
    if (path.posix.isAbsolute(appPath.trim())) return null;
    const repositoryId = await repositoryOf(layerId);
    if (!repositoryId) return false;
    return (await filePresence(client, repositoryId, [appPath])).get(appPath) ?? false;
  };
}
