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
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { VENDOR_DB } from "../server/cli/commands/convert-local.ts";
import { LIBGUESTFS_ENV } from "../server/engine/tools.ts";
import { buildRhel5Guest, RHEL5_KERNEL_PATH, RHEL5_KERNEL_RPM, rhel5SiteConf } from "../test/helpers/rhel5-guest.ts";
import { scratchDir, seconds, timed } from "./disk-images.ts";
import type { BenchRow } from "./types.ts";

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const NAME = "bench-rhel54";
const env = { ...process.env, ...LIBGUESTFS_ENV };

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

async function timedWithCount(dir: string, name: string, cmd: string, args: string[]): Promise<{ ms: number; count: ApplianceCount }> {
  const log = path.join(dir, `${name}.appliances`);
  const wrapper = path.join(dir, `${name}-qemu`);
  writeFileSync(wrapper, qemuWrapper(execFileSync("sh", ["-c", "command -v qemu-system-x86_64"], { encoding: "utf8" }).trim(), log), { mode: 0o755 });
  writeFileSync(log, "");
  const ms = await timed(() => exec(cmd, args, { cwd: ROOT, env: { ...env, LIBGUESTFS_HV: wrapper }, maxBuffer: 256 * 1024 * 1024 }));
  return { ms, count: countAppliances(readFileSync(log, "utf8")) };
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

    const v2vOut = path.join(tmp.dir, "out-virt-v2v");
    const ferryOut = path.join(tmp.dir, "out-ferry");
    mkdirSync(v2vOut);
    mkdirSync(ferryOut);
    const v2v = await timedWithCount(tmp.dir, "virt-v2v", "virt-v2v", ["-i", "libvirtxml", v2vXml, "-o", "local", "-os", v2vOut, "-of", "qcow2"]);
    const ferry = await timedWithCount(tmp.dir, "ferry", process.execPath, [
      path.join(ROOT, "server/cli/ferry.mjs"), "convert", "-i", "libvirtxml", guest.xml, "-o", "local", "-os", ferryOut, "-of", "qcow2", "-oa", "sparse", "-f", layer, "-f", VENDOR_DB,
    ]);
    const ratio = ferry.ms / v2v.ms;
    return [
      {
        what: "whole conversion, RHEL 5.4 Xen test guest -> -o local qcow2 (Ferry also installs the kernel RPM)",
        baseline: `${seconds(v2v.ms)} (virt-v2v 2.2; ${describe(v2v.count)})`,
        ferry: `${seconds(ferry.ms)} (x${ratio.toFixed(2)}; ${describe(ferry.count)})`,
        goal: "<= 1.5x",
        pass: ratio <= 1.5,
        raw: { baselineMs: v2v.ms, ferryMs: ferry.ms, ratio, ferryAppliances: ferry.count.appliances, virtV2vAppliances: v2v.count.appliances },
      },
    ];
  } finally {
    tmp.cleanup();
  }
}
