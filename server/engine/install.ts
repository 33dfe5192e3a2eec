// The install-software stage (reference §2.3-2.4): the software plan's RPMs, carried on the
// transfer ISO, installed in the appliance that inspected the guest (guest-session.ts), into the
// overlays the copy then reads: the ISO mounted inside the guest (by its volume label), every
// non-kernel package with one `rpm -U`, then the kernel with `rpm -i` so it sits alongside the
// old one.
import { randomBytes } from "node:crypto";
import type { SoftwarePlan } from "../v2v/software-plan.ts";
import { MissingSoftwareError, TRANSFER_ISO_LABEL } from "../v2v/index.ts";
import type { StageContext } from "./context.ts";
import type { GuestSession } from "./guest-session.ts";
import { findRoot, mountGuest } from "./inspect.ts";

export const INSTALL_STAGE = "install";

export type InstallResult = {
  /** Config paths installed with `rpm -i` (the kernel, alongside the old one). */
  installed: string[];
  /** Config paths given to `rpm -U` (installed, or upgraded when an older one was there). */
  upgraded: string[];
};

/** rpm (or mounting the ISO) failed inside the guest; `output` is what it printed. */
export class InstallFailedError extends Error {
  readonly code = "INSTALL_FAILED";
  readonly output: string;
  constructor(what: string, output: string) {
    super(`Failed to install ${what} in the guest${output ? `:\n${output}` : ""}`);
    this.name = "InstallFailedError";
    this.output = output;
  }
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const STEP = "@@ferry-step ";

/** What to run: rpm -U of every non-kernel file (one command), then rpm -i of the kernel. */
export function installCommands(plan: SoftwarePlan): { upgrade: string[]; kernel: string[] } {
  const files = plan.files.filter((f) => !f.missing);
  return {
    upgrade: files.filter((f) => !f.kernel).map((f) => f.path),
    kernel: files.filter((f) => f.kernel).map((f) => f.path),
  };
}

/**
 * The script run in the guest (by its /bin/sh): mount the ISO read-only by label, run the rpm
 * commands, unmount whatever happened. Each step announces itself so a failure names it.
 * One line, so virt-customize's error message stays one line too.
 */
export function installScript(mountPoint: string, cmds: { upgrade: string[]; kernel: string[] }): string {
  const onIso = (paths: string[]) => paths.map((p) => shellQuote(`${mountPoint}/${p.replace(/^\/+/, "")}`)).join(" ");
  const steps: string[] = [];
  if (cmds.upgrade.length > 0) steps.push(`echo '${STEP}rpm -U ${cmds.upgrade.join(" ")}'; rpm -U ${onIso(cmds.upgrade)} 2>&1 || s=$?`);
  if (cmds.kernel.length > 0) steps.push(`echo '${STEP}rpm -i ${cmds.kernel.join(" ")}'; rpm -i ${onIso(cmds.kernel)} 2>&1 || s=$?`);
  return [
    `echo '${STEP}mount the transfer ISO'`,
    `mount -r -L ${TRANSFER_ISO_LABEL} ${shellQuote(mountPoint)} 2>&1 || exit 1`,
    "s=0",
    // Stop at the first failing step; the kernel is not installed after a failed upgrade.
    steps.map((step) => `[ $s -ne 0 ] || { ${step}; }`).join("; "),
    `umount ${shellQuote(mountPoint)}`,
    "exit $s",
  ]
    .filter((part) => part !== "")
    .join("; ");
}

/** From virt-customize's failure output: the failed step and what it printed. */
export function failureFromOutput(output: string): { step: string; output: string } {
  const lines = output.split(/\r?\n/);
  let step = "software";
  let body: string[] = [];
  for (const line of lines) {
    if (line.startsWith(STEP)) {
      step = line.slice(STEP.length);
      body = [];
    } else if (/^virt-customize: error: /.test(line)) {
      // The rest is virt-customize's own wording around the command line.
      break;
    } else if (line.trim() !== "" && !/^\[\s*\d+\.\d+\]/.test(line)) {
      body.push(line);
    }
  }
  return { step, output: body.join("\n").trim() };
}

/**
 * Installs the plan's RPMs in the session's appliance (before the copy: into the overlays):
 * the filesystems mounted read-write, the transfer ISO mounted inside the guest by its label,
 * `rpm -U` of the non-kernel files, then `rpm -i` of the kernel.
 */
export async function installSoftware(ctx: StageContext, session: GuestSession, plan: SoftwarePlan): Promise<InstallResult> {
  const missing = plan.missing.length > 0 ? new MissingSoftwareError(plan.missing) : undefined;
  if (missing) throw missing;
  const cmds = installCommands(plan);
  if (plan.satisfied || (cmds.upgrade.length === 0 && cmds.kernel.length === 0)) {
    ctx.log("info", `The ${plan.capability.name} capability is already satisfied: nothing to install`, INSTALL_STAGE);
    return { installed: [], upgraded: [] };
  }
  if (!session.hasIso) throw new MissingSoftwareError([...cmds.kernel, ...cmds.upgrade]);

  const what = [...cmds.upgrade, ...cmds.kernel];
  const total = 4;
  ctx.log("info", `Installing ${what.join(" ")} from the transfer ISO`, INSTALL_STAGE);
  ctx.progress({ stage: INSTALL_STAGE, done: 0, total, unit: "steps", item: "mounting the guest" });
  // A retry's appliance has not inspected yet: it does now, to find the root to mount.
  if (session.root === undefined) {
    await session.launch();
    await findRoot(session, { writable: true }, ctx);
  } else {
    await mountGuest(session, session.root, { writable: true });
  }
  ctx.progress({ stage: INSTALL_STAGE, done: 1, total, unit: "steps", item: "rpm" });
  const mountPoint = `/tmp/virt-v2v-transfer-${randomBytes(4).toString("hex")}`;
  await session.call(["mkdir-p", mountPoint]);
  // In a subshell, so its `exit` ends only that and the status is printed: a failing command
  // would end the listening guestfish and lose what rpm printed.
  const output = await session.call(["sh", `(${installScript(mountPoint, cmds)}); echo "${STEP}exit $?"`]);
  ctx.progress({ stage: INSTALL_STAGE, done: 2, total, unit: "steps", item: "finishing" });
  await session.call(["rm-rf", mountPoint]);
  const status = Number(new RegExp(`^${STEP}exit (\\d+)$`, "m").exec(output)?.[1] ?? "1");
  if (status !== 0) {
    const failure = failureFromOutput(output.replace(new RegExp(`^${STEP}exit \\d+$`, "m"), ""));
    ctx.log("error", `${failure.step} failed in the guest${failure.output ? `: ${failure.output}` : ""}`, INSTALL_STAGE);
    throw new InstallFailedError(failure.step === "software" ? what.join(" ") : failure.step, failure.output);
  }
  await session.call(["umount-all"]);
  for (const p of cmds.upgrade) ctx.log("info", `Installed or upgraded ${p} (rpm -U)`, INSTALL_STAGE);
  for (const p of cmds.kernel) ctx.log("info", `Installed ${p} alongside the existing kernel (rpm -i)`, INSTALL_STAGE);
  ctx.progress({ stage: INSTALL_STAGE, done: total, total, unit: "steps" });
  return { installed: cmds.kernel, upgraded: cmds.upgrade };
}
