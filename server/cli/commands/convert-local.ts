// ferry convert, local mode: the whole pipeline (server/engine/pipeline.ts) on this host with
// the configuration from the -f files, or virt-v2v's defaults: /etc/virt-v2v.conf when readable,
// then the vendor database Ferry ships (as virt-v2v reads /var/lib/virt-v2v/virt-v2v.db).
// Ctrl-C cancels: the pipeline removes what it created, then `Received signal INT. Exiting.`
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DomainXmlError, formatProfileList, type ConfigFile } from "../../v2v/index.ts";
import type { StageContext } from "../../engine/context.ts";
import { runPipeline } from "../../engine/pipeline.ts";
import type { SourceInput } from "../../engine/source.ts";
import { CliExit, EXIT_FAILURE, EXIT_OK, type CliIo } from "../io.ts";
import { loadConfig } from "../load-configs.ts";
import type { ConvertOptions } from "./convert.ts";
import { createPrinter, driversLine } from "./convert-progress.ts";

export const VENDOR_DB = fileURLToPath(new URL("../../v2v/vendor/virt-v2v.db.xml", import.meta.url));
export const SITE_CONF = "/etc/virt-v2v.conf";

/** The -f files in order, or the defaults. */
export function configPaths(given: readonly string[] | undefined, io: CliIo): string[] {
  if (given && given.length) return [...given];
  return [...(io.readable(SITE_CONF) ? [SITE_CONF] : []), VENDOR_DB];
}

export type LocalRun = { options: ConvertOptions; source: SourceInput | undefined; listProfiles: boolean };

export async function runLocal(io: CliIo, run: LocalRun): Promise<number> {
  let files: ConfigFile[];
  try {
    files = configPaths(run.options.config, io).map((p) => loadConfig(p, io));
  } catch (e) {
    if (e instanceof CliExit) return e.status;
    throw e;
  }
  if (run.listProfiles) {
    io.stdout(formatProfileList(files));
    return EXIT_OK;
  }
  const source = run.source!;
  const printer = createPrinter(io, { tty: process.stdout.isTTY === true });
  const controller = new AbortController();
  let signalled: string | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    signalled = sig.replace(/^SIG/, "");
    controller.abort(new Error(`Received signal ${signalled}.`));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const scratchDir = mkdtempSync(path.join(tmpdir(), "ferry-convert-"));
  const ctx: StageContext = {
    log: (level, message) => printer.line(level, message),
    progress: (event) => printer.progress(event),
    signal: controller.signal,
    scratchDir,
  };
  const o = run.options;
  try {
    const result = await runPipeline(ctx, {
      request: {
        source,
        output: { method: o.output, uri: o.oc, storage: o.os, format: o.of, allocation: o.oa, name: o.on },
        profile: o.profile,
        network: o.network,
        bridge: o.bridge,
        copyOnly: o["copy-only"] === true,
      },
      files,
      softwareRoot: o["software-root"],
      domainType: o.domainType,
    });
    printer.finish();
    if (result.status === "succeeded") io.stdout(`${driversLine(result.plan.guest.name, result.result.drivers)}\nConversion completed successfully.\n`);
    return EXIT_OK;
  } catch (error) {
    printer.finish();
    if (signalled) io.stderr(`Received signal ${signalled}. Exiting.\n`);
    else io.stderr(`ferry: ${error instanceof DomainXmlError ? error.format() : error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.FERRY_DEBUG && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return EXIT_FAILURE;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    rmSync(scratchDir, { recursive: true, force: true });
  }
}
