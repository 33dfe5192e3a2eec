// -o libvirt -oc URI -os POOL: the copy stage writes each volume straight into the pool's
// directory (disk.targetPath), then the pool is refreshed so libvirt lists them, and the
// plan's domain XML is defined with `virsh define`. That is what virt-v2v 2.x does
// (output_libvirt.ml), and it keeps one rule for existing volumes: the copy stage's "exists ->
// reuse" check on the file is the same test as "the pool has a volume of that name", because in
// dir/fs/netfs pools a volume is the file. Creating volumes first with vol-create-as would
// make every target "exist" before the copy and need a second, copy-into mode in copy.ts.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import type { ConversionPlan } from "../v2v/index.ts";
import type { StageContext } from "./context.ts";
import {
  checkCancelled,
  checkDisksIn,
  cleanupContext,
  domainXmlName,
  pathExists,
  prepareVolumes,
  result,
  type OutputOptions,
  type OutputResult,
  type PreparedOutput,
} from "./output-common.ts";
import { defaultLibvirtUri, FILE_POOL_TYPES, names, OUTPUT_STAGE, OutputError, readPool, virsh } from "./target.ts";

async function domainExists(ctx: StageContext, uri: string, name: string, options: OutputOptions): Promise<boolean> {
  return names(await virsh(ctx, uri, ["list", "--all", "--name"], options)).includes(name);
}

function domainExistsError(name: string): OutputError {
  return new OutputError("DOMAIN_EXISTS", `Domain ${name} already exists on the target.`);
}

/** Checks pool and name before anything is copied; creates nothing. */
export async function prepareLibvirt(ctx: StageContext, plan: ConversionPlan, options: OutputOptions = {}): Promise<PreparedOutput> {
  const uri = plan.output.uri ?? defaultLibvirtUri();
  const poolName = plan.output.storage;
  ctx.log("info", `Setting up the destination: -o libvirt -oc ${uri} -os ${poolName}`, OUTPUT_STAGE);
  const { name } = domainXmlName(plan, "libvirt");

  const pool = await readPool(ctx, uri, poolName, options);
  if (!FILE_POOL_TYPES.includes(pool.type)) {
    throw new OutputError(
      "UNSUPPORTED_POOL",
      `Output pool ${poolName} has type '${pool.type}': Ferry writes volumes only into pools whose volumes are files ` +
        `(${FILE_POOL_TYPES.join(", ")}), as virt-v2v 2.x (type='dir') does. Use -o local or a dir pool.`,
    );
  }
  if (!pool.active) {
    throw new OutputError("POOL_INACTIVE", `Output pool ${poolName} is not active. Start it with: virsh -c ${uri} pool-start ${poolName}`);
  }
  if (await domainExists(ctx, uri, name, options)) throw domainExistsError(name);
  checkDisksIn(plan.disks, pool.path, `pool ${poolName}`);

  // libvirt's view of the pool may predate files written outside it; a volume counts as
  // existing exactly when its file does (copy.ts's test).
  await virsh(ctx, uri, ["pool-refresh", "--", poolName], options);
  const volumes = await prepareVolumes(plan.disks);
  for (const v of volumes) {
    if (v.existed) ctx.log("debug", `Volume ${basename(v.path)} is already in pool ${poolName}: the copy stage reuses it`, OUTPUT_STAGE);
  }
  return {
    method: "libvirt",
    name,
    volumes,
    createdDirs: [],
    libvirt: { uri, pool: { name: pool.name, type: pool.type, path: pool.path } },
  };
}

/** After the copy and conversion: the volumes registered in the pool, the domain defined. */
export async function finishLibvirt(
  ctx: StageContext,
  plan: ConversionPlan,
  prepared: PreparedOutput,
  options: OutputOptions = {},
): Promise<OutputResult> {
  const target = prepared.libvirt;
  if (!target) throw new OutputError("BAD_PLAN", "finishOutput -o libvirt needs what prepareOutput -o libvirt returned.");
  const { xml, name } = domainXmlName(plan, "libvirt");
  checkCancelled(ctx, "Defining the domain");
  for (const v of prepared.volumes) {
    if (!(await pathExists(v.path))) throw new OutputError("BAD_PLAN", `Volume ${v.name} was never written: ${v.path} does not exist.`);
  }
  try {
    await virsh(ctx, target.uri, ["pool-refresh", "--", target.pool.name], options);
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    // virt-v2v 2.x carries on: the domain refers to the files by path either way.
    ctx.log("warn", `could not refresh libvirt pool ${target.pool.name}: ${(error as Error).message}`, OUTPUT_STAGE);
  }

  ctx.log("info", "Creating output metadata", OUTPUT_STAGE);
  // Someone may have defined the name while the copy ran; define would then replace it.
  if (await domainExists(ctx, target.uri, name, options)) throw domainExistsError(name);
  const dir = await mkdtemp(join(ctx.scratchDir, "libvirt-xml-"));
  try {
    const file = join(dir, `${name}.xml`);
    await writeFile(file, xml);
    await virsh(ctx, target.uri, ["define", file], options);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  ctx.log("info", `Domain ${name} defined on ${target.uri} with its volumes in pool ${target.pool.name}`, OUTPUT_STAGE);
  return { ...result(prepared), uri: target.uri };
}

/** Removes the volumes this conversion created (virt-v2v's message for each), never reused ones. */
export async function cleanupLibvirt(ctx: StageContext, _plan: ConversionPlan, prepared: PreparedOutput, options: OutputOptions = {}): Promise<void> {
  const target = prepared.libvirt;
  if (!target) return;
  const c = cleanupContext(ctx);
  const pool = target.pool.name;
  const refresh = () => virsh(c, target.uri, ["pool-refresh", "--", pool], options).catch(() => "");
  await refresh();
  for (const volume of prepared.volumes) {
    if (volume.existed || !(await pathExists(volume.path))) continue;
    const vol = basename(volume.path);
    ctx.log("info", `Automatically cleaning up volume ${vol} from pool ${pool}.`, OUTPUT_STAGE);
    try {
      await virsh(c, target.uri, ["vol-delete", "--pool", pool, "--", vol], options);
    } catch (error) {
      ctx.log("debug", `vol-delete ${vol}: ${(error as Error).message}; removing the file instead`, OUTPUT_STAGE);
    }
    await rm(volume.path, { force: true });
  }
  await refresh();
}
