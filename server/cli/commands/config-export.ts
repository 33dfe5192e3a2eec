// ferry config export --layer NAME: a console layer as virt-v2v.conf text on stdout.
import { isAppError } from "../../errors.ts";
import { parseOptions, requireOne } from "../args.ts";
import type { Command } from "../command.ts";
import { CliUsageError, EXIT_FAILURE, EXIT_OK } from "../io.ts";

export const configExportCommand: Command = {
  name: "export",
  summary: "print a console layer as a virt-v2v.conf file",
  usage: ["ferry config export --layer NAME", "", "Writes the layer's current revision to stdout; redirect it to keep a backup."].join("\n"),
  async run(args, io) {
    const { values, positionals } = parseOptions(args, { layer: { type: "string", short: "l" } }, true);
    if (positionals.length > 0) throw new CliUsageError(`config export takes no FILE (it writes to stdout): ${positionals[0]}`);
    const layerName = requireOne(values.layer, "--layer");
    // Loaded here, not at the top: the other verbs need no database client.
    const [{ withConsoleDatabase }, { exportLayer }, { findLayerByName }, { listLayers }] = await Promise.all([
      import("../console-database.ts"),
      import("../../config/export-layer.ts"),
      import("../../config/get-layer.ts"),
      import("../../config/list-layers.ts"),
    ]);
    try {
      return await withConsoleDatabase(io, async (client) => {
        const layer = await findLayerByName(client, layerName);
        if (!layer) {
          const names = (await listLayers(client)).map((l) => l.name);
          io.stderr(`ferry: there is no layer named ${layerName} (the layers are: ${names.join(", ")})\n`);
          return EXIT_FAILURE;
        }
        io.stdout(await exportLayer(client, layer.id));
        return EXIT_OK;
      });
    } catch (e) {
      if (!isAppError(e)) throw e;
      io.stderr(`ferry: ${e.message}\n`);
      return EXIT_FAILURE;
    }
  },
};
