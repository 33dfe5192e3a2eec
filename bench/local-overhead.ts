// Local conversion overhead: a copy-only conversion (`--copy-only`: no inspection, no
// conversion) to -o local -of qcow2 against the copy alone (`qemu-img convert -f raw -O qcow2`
// of the same disk); the difference is what Ferry adds around the copy (source XML, qemu-img
// info, plan, output prepared, progress, DIR/NAME.xml). Two rows:
//   - in an agent: runPipeline in this process (what each conversion costs an agent that runs);
//   - the CLI: the whole `ferry convert --copy-only ...` process, node and tsx start included.
// Data set: a sparse 4 GiB raw image with 256 MiB of data: the overhead does not depend on the
// data, and a shorter copy leaves less room for the host's I/O noise to hide it.
import { execFile } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { readFileSync } from "node:fs";
import { VENDOR_DB } from "../server/cli/commands/convert-local.ts";
import { createMemoryContext } from "../server/engine/context.ts";
import { runPipeline } from "../server/engine/pipeline.ts";
import { parseConfig } from "../server/v2v/index.ts";
import { alternate, GiB, MiB, scratchDir, seconds, sparseImage, timed } from "./disk-images.ts";
import { median } from "./stats.ts";
import type { BenchRow } from "./types.ts";

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ROUNDS = process.env.FERRY_BENCH_QUICK === "1" ? 3 : 5;
const NAME = "bench-overhead";

function guestXml(disk: string): string {
  return `<domain type='kvm'>
  <name>${NAME}</name>
  <memory unit='KiB'>1048576</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='${disk}'/>
      <target dev='vda' bus='virtio'/>
    </disk>
  </devices>
</domain>
`;
}

export async function run(): Promise<BenchRow[]> {
  const tmp = scratchDir("local-overhead");
  try {
    const source = path.join(tmp.dir, "disk.img");
    sparseImage(source, 4 * GiB, 256 * MiB);
    const xml = path.join(tmp.dir, "guest.xml");
    writeFileSync(xml, guestXml(source));
    const out = path.join(tmp.dir, "out");
    const plain = path.join(tmp.dir, "plain.qcow2");
    const reset = () => {
      rmSync(out, { recursive: true, force: true });
      mkdirSync(out);
      rmSync(plain, { force: true });
    };
    reset();
    await exec("qemu-img", ["convert", "-f", "raw", "-O", "qcow2", source, plain]); // warm the page cache
    const qemuImg = () => exec("qemu-img", ["convert", "-f", "raw", "-O", "qcow2", source, plain]);
    // The agent has its configuration parsed when it claims the conversion.
    const files = [parseConfig(readFileSync(VENDOR_DB, "utf8"), VENDOR_DB)];
    const inAgent = await alternate(ROUNDS, qemuImg, () =>
      runPipeline(createMemoryContext({ scratchDir: path.join(tmp.dir, "scratch") }), {
        request: {
          source: { method: "libvirtxml", file: xml },
          output: { method: "local", storage: out, format: "qcow2", allocation: "sparse" },
          copyOnly: true,
        },
        files,
      }), reset);
    const cli = await alternate(
      ROUNDS,
      qemuImg,
      () => exec(process.execPath, [path.join(ROOT, "server/cli/ferry.mjs"), "convert", "--copy-only", "-i", "libvirtxml", xml, "-o", "local", "-os", out, "-of", "qcow2", "-oa", "sparse"], { cwd: ROOT }),
      reset,
    );
    const startup: number[] = [];
    for (let i = 0; i < ROUNDS; i++) startup.push(await timed(() => exec(process.execPath, [path.join(ROOT, "server/cli/ferry.mjs"), "--version"], { cwd: ROOT })));
    const row = (what: string, runs: { baseline: number[]; ferry: number[] }, note: string, extra: Record<string, number> = {}): BenchRow => {
      const base = median(runs.baseline);
      const ferry = median(runs.ferry);
      const overhead = ferry - base;
      return {
        what,
        baseline: `${seconds(base)} (qemu-img convert)`,
        ferry: `${seconds(ferry)} (+${seconds(overhead)}${note})`,
        goal: "<= 2 s overhead",
        pass: overhead <= 2000,
        raw: { baselineMs: base, ferryMs: ferry, overheadMs: overhead, ...extra },
      };
    };
    const start = median(startup);
    return [
      row(`local conversion overhead in an agent: runPipeline --copy-only -o local vs the copy alone (4 GiB, 256 MiB data, median of ${ROUNDS})`, inAgent, ""),
      row(`local conversion overhead, CLI: ferry convert --copy-only -o local vs the copy alone (same disk, median of ${ROUNDS})`, cli, `; of which ${seconds(start)} is \`ferry --version\`: node + tsx start`, { cliStartupMs: start }),
    ];
  } finally {
    tmp.cleanup();
  }
}
