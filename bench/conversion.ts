// Whole conversion: `ferry convert -i libvirtxml -o local` of the small RHEL 5.4 Xen test guest
// (test/helpers/rhel5-guest.ts: inspection, the non-Xen kernel installed from a software
// repository, in-place conversion) against plain `virt-v2v -i libvirtxml -o local` of the same
// guest. virt-v2v 2.x installs no software, and this guest has only its Xen kernel, so
// virt-v2v gets a copy with the non-Xen kernel already installed (rpm -i in one virt-customize
// run, not timed): the state a virt-v2v user must bring the guest to first.
// Both run with LIBGUESTFS_HV pointing at a wrapper around qemu that notes each libguestfs
// appliance start (a qemu run with -kernel: 15-45 s under TCG here) and which program started it,
// then execs the real qemu: the times are the programs' own (strace -f, used before, added about
// half to them). Takes minutes; `npm run bench -- --quick` skips it.
import { execFile, execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { VENDOR_DB } from "../server/cli/commands/convert-local.ts";
import { LIBGUESTFS_ENV, which } from "../server/engine/tools.ts";
import { buildRhel5Guest, RHEL5_KERNEL_PATH, RHEL5_KERNEL_RPM, rhel5SiteConf } from "../test/helpers/rhel5-guest.ts";
import { scratchDir, seconds, timed } from "./disk-images.ts";
import { median } from "./stats.ts";
import type { BenchRow } from "./types.ts";

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const NAME = "bench-rhel54";
const env = { ...process.env, ...LIBGUESTFS_ENV };
const ROUNDS = Math.max(1, Number(process.env.BENCH_CONVERSION_ROUNDS ?? 5));

export type ApplianceCount = { appliances: number; programs: Record<string, number> };

/**
 * Appliance starts in the wrapper's log: one line per qemu run with -kernel, naming the program
 * that started it (qemu's feature probes, -help and the like, are not logged).
 */
export function countAppliances(log: string): ApplianceCount {
  let appliances = 0;
  const programs: Record<string, number> = {};
  for (const line of log.split("\n")) {
    const m = /^appliance (\S+)/.exec(line);
    if (!m) continue;
    appliances++;
    const program = path.basename(m[1] as string);
    programs[program] = (programs[program] ?? 0) + 1;
  }
  return { appliances, programs };
}

/** A qemu wrapper for LIBGUESTFS_HV: logs appliance starts to `log`, then runs `qemu`. */
export function qemuWrapper(qemu: string, log: string): string {
  return [
    "#!/bin/sh",
    "for a in \"$@\"; do",
    '  if [ "$a" = -kernel ]; then',
    // The program that started qemu: libguestfs forks it from the program's own process.
    `    printf 'appliance %s\\n' "$(tr '\\0' '\\n' < /proc/$PPID/cmdline | head -n 1)" >> '${log}'`,
    "    break",
    "  fi",
    "done",
    `exec '${qemu}' "$@"`,
    "",
  ].join("\n");
}

type Timed = { ms: number; count: ApplianceCount; stdout: string };

async function timedWithCount(dir: string, name: string, cmd: string, args: string[]): Promise<Timed> {
  const log = path.join(dir, `${name}.appliances`);
  const wrapper = path.join(dir, `${name}-qemu`);
  const qemu = which("qemu-system-x86_64");
  if (!qemu) throw new Error("qemu-system-x86_64 is not installed (Debian package qemu-system-x86)");
  writeFileSync(wrapper, qemuWrapper(qemu, log), { mode: 0o755 });
  writeFileSync(log, "");
  let stdout = "";
  const ms = await timed(async () => {
    stdout = (await exec(cmd, args, { cwd: ROOT, env: { ...env, LIBGUESTFS_HV: wrapper }, maxBuffer: 256 * 1024 * 1024 })).stdout;
  });
  return { ms, count: countAppliances(readFileSync(log, "utf8")), stdout };
}

/**
 * Where Ferry's time went, from its own progress lines (`[  24.6] ...`, seconds since it
 * started): everything before virt-v2v-in-place (reading the source, the appliance that
 * inspects and installs, the copy), then virt-v2v-in-place to the end.
 */
export function ferrySplit(stdout: string, totalMs: number): { beforeConvertMs: number; convertMs: number } | undefined {
  const m = /^\[\s*([\d.]+)\] Setting up the source: .*-in-place\.xml$/m.exec(stdout);
  if (!m) return undefined;
  const before = Number(m[1]) * 1000;
  return { beforeConvertMs: before, convertMs: totalMs - before };
}

const describe = (c: ApplianceCount) => `${c.appliances} appliance start(s): ${Object.entries(c.programs).map(([p, n]) => `${p} x${n}`).join(", ")}`;

export async function run(): Promise<BenchRow[]> {
  if (process.env.FERRY_BENCH_QUICK === "1") {
    return [{ what: "whole conversion vs virt-v2v (RHEL 5.4 Xen test guest)", baseline: "-", ferry: "skipped (--quick)", goal: "<= 1.5x", pass: null }];
  }
  const tmp = scratchDir("conversion");
  try {
    const guest = await buildRhel5Guest(path.join(tmp.dir, "ferry"), { name: NAME });
    const repo = path.join(tmp.dir, "repo");
    mkdirSync(path.join(repo, "rhel/5"), { recursive: true });
    copyFileSync(guest.kernelRpm, path.join(repo, RHEL5_KERNEL_PATH));
    const layer = path.join(tmp.dir, "site.conf");
    writeFileSync(layer, rhel5SiteConf({ pathRoot: repo }));

    // virt-v2v's copy of the guest, with the non-Xen kernel installed beforehand (not timed).
    const v2vDir = path.join(tmp.dir, "virt-v2v");
    mkdirSync(v2vDir);
    const v2vDisk = path.join(v2vDir, `${NAME}.img`);
    execFileSync("cp", ["--sparse=always", guest.disk, v2vDisk]);
    execFileSync(
      "virt-customize",
      ["-q", "--format", "raw", "-a", v2vDisk, "--copy-in", `${guest.kernelRpm}:/tmp`, "--run-command", `rpm -i /tmp/${RHEL5_KERNEL_RPM}`, "--delete", `/tmp/${RHEL5_KERNEL_RPM}`],
      { env, stdio: ["ignore", "ignore", "pipe"] },
    );
    const v2vXml = path.join(v2vDir, `${NAME}.xml`);
    writeFileSync(v2vXml, readFileSync(guest.xml, "utf8").replace(guest.disk, v2vDisk));

    // Side by side, ROUNDS pairs, who goes first swapped each round: a single pair's ratio
    // moved between x1.47 and x1.77 on this machine with the load of other work (x1.28-x1.52
    // in one quiet run of 5 pairs), so the median of 5.
    const pairs: { v2v: Timed; ferry: Timed }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const v2vOut = path.join(tmp.dir, `out-virt-v2v-${round}`);
      const ferryOut = path.join(tmp.dir, `out-ferry-${round}`);
      mkdirSync(v2vOut);
      mkdirSync(ferryOut);
      const runV2v = () => timedWithCount(tmp.dir, "virt-v2v", "virt-v2v", ["-i", "libvirtxml", v2vXml, "-o", "local", "-os", v2vOut, "-of", "qcow2"]);
      const runFerry = () =>
        timedWithCount(tmp.dir, "ferry", process.execPath, [
          path.join(ROOT, "server/cli/ferry.mjs"), "convert", "-i", "libvirtxml", guest.xml, "-o", "local", "-os", ferryOut, "-of", "qcow2", "-oa", "sparse", "-f", layer, "-f", VENDOR_DB,
        ]);
      if (round % 2 === 0) {
        const v2v = await runV2v();
        pairs.push({ v2v, ferry: await runFerry() });
      } else {
        const ferry = await runFerry();
        pairs.push({ v2v: await runV2v(), ferry });
      }
      rmSync(v2vOut, { recursive: true, force: true });
      rmSync(ferryOut, { recursive: true, force: true });
    }
    const ratios = pairs.map((p) => p.ferry.ms / p.v2v.ms);
    const ratio = median(ratios);
    const v2vMs = median(pairs.map((p) => p.v2v.ms));
    const ferryMs = median(pairs.map((p) => p.ferry.ms));
    const last = pairs[pairs.length - 1]!;
    const splits = pairs.map((p) => ferrySplit(p.ferry.stdout, p.ferry.ms));
    const split = splits.every((x) => x !== undefined)
      ? `; before virt-v2v-in-place ${seconds(median(splits.map((x) => x!.beforeConvertMs)))}, virt-v2v-in-place ${seconds(median(splits.map((x) => x!.convertMs)))}`
      : "";
    return [
      {
        what: `whole conversion, RHEL 5.4 Xen test guest -> -o local qcow2 (Ferry also installs the kernel RPM; median of ${ROUNDS} pairs)`,
        baseline: `${seconds(v2vMs)} (virt-v2v 2.2; ${describe(last.v2v.count)})`,
        ferry: `${seconds(ferryMs)} (x${ratio.toFixed(2)}, pairs ${ratios.map((r) => `x${r.toFixed(2)}`).join(" ")}; ${describe(last.ferry.count)}${split})`,
        goal: "<= 1.5x",
        pass: ratio <= 1.5,
        raw: {
          baselineMs: v2vMs,
          ferryMs,
          ratio,
          ...Object.fromEntries(
            pairs.flatMap((p, i) => [
              [`pair${i + 1}BaselineMs`, p.v2v.ms],
              [`pair${i + 1}FerryMs`, p.ferry.ms],
              ...(splits[i] ? [[`pair${i + 1}FerryBeforeConvertMs`, splits[i]!.beforeConvertMs]] : []),
            ]),
          ),
          ferryAppliances: last.ferry.count.appliances,
          virtV2vAppliances: last.v2v.count.appliances,
        },
      },
    ];
  } finally {
    tmp.cleanup();
  }
}
