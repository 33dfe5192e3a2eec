// ferry config import FILE --layer NAME: replaces a layer's configuration with a virt-v2v.conf
// (creating the layer when there is none of that name), audited as the system actor.
import path from "node:path";
import { isAppError } from "../../errors.ts";
import { ConfigParseError, parseConfig } from "../../v2v/index.ts";
import { parseOptions, requireOne } from "../args.ts";
import type { Command } from "../command.ts";
import { CliUsageError, EXIT_FAILURE, EXIT_OK } from "../io.ts";
import { readConfigText } from "../load-configs.ts";

export const configImportCommand: Command = {
  name: "import",
  summary: "replace a console layer's configuration with a virt-v2v.conf (creates the layer)",
  usage: [
    "ferry config import FILE --layer NAME",
    "",
    "Runs on the console host against its database (DATABASE_URL, or the embedded one under",
    "FERRY_DATA_DIR, started for the command when the console is not running). The import is",
    "one new revision of the layer, recorded in the audit log as the system actor.",
  ].join("\n"),
  async run(args, io) {
    const { values, positionals } = parseOptions(args, { layer: { type: "string", short: "l" } }, true);
    if (positionals.length !== 1) throw new CliUsageError("config import takes exactly one FILE");
    const file = positionals[0]!;
    const layerName = requireOne(values.layer, "--layer");
    const text = readConfigText(file, io);
    const fileName = path.basename(file);
    try {
      // Checked before the database is touched: a broken file needs no database to report.
      parseConfig(text, file);
    } catch (e) {
      if (!(e instanceof ConfigParseError)) throw e;
      io.stderr(`${e.format()}\n`);
      return EXIT_FAILURE;
    }
    // Loaded here, not at the top: the other verbs need no database client.
    const [{ withConsoleDatabase }, { applyImport }, { createLayer }, { findLayerByName }, { SYSTEM_ACTOR }] = await Promise.all([
      import("../console-database.ts"),
      import("../../config/apply-import.ts"),
      import("../../config/create-layer.ts"),
      import("../../config/get-layer.ts"),
      import("../../audit/record-audit.ts"),
    ]);
    try {
      return await withConsoleDatabase(io, async (client) => {
        let layer = await findLayerByName(client, layerName);
        let created = false;
        if (!layer) {
          layer = await createLayer(client, SYSTEM_ACTOR, { name: layerName, description: `Created by ferry config import ${fileName}` });
          created = true;
        }
        const result = await applyImport(client, SYSTEM_ACTOR, { layerId: layer.id, baseRevision: layer.headRevision, text, fileName });
        for (const w of result.importWarnings) io.stderr(`${file}:${w.line}:${w.column}: warning: ${w.message}\n`);
        const prefix = created ? `Created the layer ${layer.name}. ` : "";
        io.stdout(
          result.changed
            ? `${prefix}Imported ${fileName} into ${layer.name}: revision ${result.revision} (${result.summary.replace(/^Imported [^:]*: /, "")}).\n`
            : `${prefix}${layer.name} already holds what ${fileName} says: nothing changed (revision ${result.revision}).\n`,
        );
        return EXIT_OK;
      });
    } catch (e) {
      if (!isAppError(e)) throw e;
      io.stderr(`ferry: ${e.message}\n`);
      return EXIT_FAILURE;
    }
  },
};
