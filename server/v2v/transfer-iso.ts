// The transfer ISO's contents (Config.pm get_transfer_iso): every <app>/<path> of every file
// whose host file is readable, placed in the ISO at the path string written in the config.
// Building the image is the engine's job.
import type { ConfigFile } from "./model.ts";
import { resolveAppPath } from "./match.ts";

/** The ISO's volume label, as virt-v2v used it. */
export const TRANSFER_ISO_LABEL = "__virt-v2v_transfer__";

export type TransferIsoEntry = {
  /** Where the item appears inside the ISO: the config path as written. */
  isoPath: string;
  hostPath: string;
  file: string;
};

export type TransferIsoContents = {
  entries: TransferIsoEntry[];
  /** Paths not readable on the host: left out (they only matter if a plan needs them). */
  skipped: TransferIsoEntry[];
  /** Same ISO path from different host paths: the first is kept (mkisofs cannot hold both). */
  conflicts: { isoPath: string; kept: string; dropped: string }[];
};

export function transferIsoContents(
  files: readonly ConfigFile[],
  exists: (hostPath: string) => boolean,
  options: { softwareRoot?: string | undefined } = {},
): TransferIsoContents {
  const out: TransferIsoContents = { entries: [], skipped: [], conflicts: [] };
  const byIsoPath = new Map<string, string>();
  for (const config of files) {
    const root = options.softwareRoot ?? config.pathRoot;
    for (const app of config.apps) {
      const entry = { isoPath: app.path, hostPath: resolveAppPath(app.path, root), file: config.file };
      const kept = byIsoPath.get(entry.isoPath);
      if (kept !== undefined) {
        if (kept !== entry.hostPath) out.conflicts.push({ isoPath: entry.isoPath, kept, dropped: entry.hostPath });
        continue;
      }
      if (!exists(entry.hostPath)) {
        if (!out.skipped.some((s) => s.hostPath === entry.hostPath)) out.skipped.push(entry);
        continue;
      }
      byIsoPath.set(entry.isoPath, entry.hostPath);
      out.entries.push(entry);
    }
  }
  return out;
}

/** mkisofs/xorriso -graft-points arguments: `isoPath=hostPath`. */
export function graftPoints(contents: TransferIsoContents): string[] {
  return contents.entries.map((e) => `${e.isoPath.replace(/([\\=])/g, "\\$1")}=${e.hostPath.replace(/([\\=])/g, "\\$1")}`);
}
