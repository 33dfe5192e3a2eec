// -o local -os DIR: the copy stage writes the disks into DIR (disk.targetPath); this stage
// checks DIR first and writes the domain XML beside them as DIR/NAME.xml, as virt-v2v 2.x's
// -o local (output_disk.ml) does.
import { rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ConversionPlan } from "../v2v/index.ts";
import type { StageContext } from "./context.ts";
import {
  checkCancelled,
  checkDisksIn,
  domainXmlName,
  pathExists,
  prepareVolumes,
  removeCreatedFiles,
  result,
  type OutputResult,
  type PreparedOutput,
} from "./output-common.ts";
import { OUTPUT_STAGE, OutputError, readOutputTarget } from "./target.ts";

export async function prepareLocal(ctx: StageContext, plan: ConversionPlan): Promise<PreparedOutput> {
  const dir = plan.output.storage;
  ctx.log("info", `Setting up the destination: -o local -os ${dir}`, OUTPUT_STAGE);
  await readOutputTarget(ctx, { method: "local", storage: dir });
  const { name } = domainXmlName(plan, "local");
  checkDisksIn(plan.disks, dir, "the output directory");
  const xmlPath = join(dir, `${name}.xml`);
  const xmlExisted = await pathExists(xmlPath);
  if (xmlExisted) ctx.log("warn", `${xmlPath} already exists: it will be replaced`, OUTPUT_STAGE);
  return { method: "local", name, volumes: await prepareVolumes(plan.disks), createdDirs: [], local: { xmlPath, xmlExisted } };
}

export async function finishLocal(ctx: StageContext, plan: ConversionPlan, prepared: PreparedOutput): Promise<OutputResult> {
  const local = prepared.local;
  if (!local) throw new OutputError("BAD_PLAN", "finishOutput -o local needs what prepareOutput -o local returned.");
  const { xml } = domainXmlName(plan, "local");
  for (const v of prepared.volumes) {
    if (!(await pathExists(v.path))) throw new OutputError("BAD_PLAN", `Disk ${v.name} was never written: ${v.path} does not exist.`);
  }
  checkCancelled(ctx, "Writing the domain XML");
  ctx.log("info", "Creating output metadata", OUTPUT_STAGE);
  // Written aside then renamed: a reader never sees half an XML file.
  const partial = `${local.xmlPath}.partial`;
  await writeFile(partial, xml);
  await rename(partial, local.xmlPath);
  ctx.log("info", `Wrote ${local.xmlPath}`, OUTPUT_STAGE);
  return { ...result(prepared), xmlPath: local.xmlPath };
}

export async function cleanupLocal(ctx: StageContext, _plan: ConversionPlan, prepared: PreparedOutput): Promise<void> {
  const local = prepared.local;
  if (!local) return;
  await removeCreatedFiles(ctx, prepared.volumes, (v) => `Automatically cleaning up volume ${v.name} (${v.path}).`);
  await rm(`${local.xmlPath}.partial`, { force: true });
  if (!local.xmlExisted && (await pathExists(local.xmlPath))) {
    ctx.log("info", `Removing ${local.xmlPath}`, OUTPUT_STAGE);
    await rm(local.xmlPath, { force: true });
  }
}
