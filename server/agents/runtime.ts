// The agent: one loop for the embedded agent and `ferry agent`. It registers, sends heartbeats
// (fresh capabilities now and then; the reply names conversions to stop), claims work up to its
// concurrency, and runs each claimed attempt through the injected ConversionRunner with a
// StageContext whose log and progress go to the console and whose signal fires on cancel.
import { mkdir, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { StageContext } from "../engine/context.ts";
import { readCapabilities, type AgentCapabilities } from "./capabilities.ts";
import { AGENT_MARKER, killOrphans } from "./orphans.ts";
import { assertRunnable } from "./matching.ts";
import type { ClaimedJob, FinalStatus, TResult } from "./protocol.ts";
import { createReporter } from "./reporter.ts";
import { DEFAULT_HINT } from "../engine/source-dirs.ts";
import { AgentRequestError, type AgentTransport } from "./transport.ts";

/** A claimed attempt as the runner sees it. */
export type ConversionJob = ClaimedJob & {
  /** Record paths about to be created outside ctx.scratchDir (output volumes), before creating them. */
  recordOutputs(paths: string[]): Promise<void>;
  /** What this agent reported (tools, pools, networks). */
  capabilities: AgentCapabilities;
  /** The only directories local source disks may be read from (empty: none, remote sources only). */
  sourceDirs: readonly string[];
  /** How this agent's operator allows a directory (said in the refusal). */
  sourceDirsHint: string;
};

export type RunnerOutcome = { status: "succeeded" | "planned"; plan?: unknown; result?: unknown };

/** Runs one attempt. Throwing fails it (the error's `code` and message are reported). */
export type ConversionRunner = (ctx: StageContext, job: ConversionJob) => Promise<RunnerOutcome>;

export type AgentRuntimeOptions = {
  transport: AgentTransport;
  runner: ConversionRunner;
  name: string;
  version: string;
  concurrency: number;
  /** Scratch space; each conversion gets a directory under DIR/NAME, removed after. */
  scratchDir: string;
  /** Directories local source disks may be read from (default none: remote sources only). */
  sourceDirs?: readonly string[];
  /** How the operator allows a directory on this agent, for the refusal (default: both ways). */
  sourceDirsHint?: string;
  hostname?: string;
  libvirtUri?: string;
  /** How often to ask for work when idle (default 2 s). */
  pollMs?: number;
  /** Default: what the console says at registration (FERRY_AGENT_HEARTBEAT_SECONDS). */
  heartbeatMs?: number;
  capabilitiesRefreshMs?: number;
  readCapabilities?: (options: { scratchDir: string; concurrency: number; libvirtUri?: string | undefined }) => Promise<AgentCapabilities>;
  /** The agent's own messages (not conversion logs). */
  onMessage?: (level: "info" | "warn" | "error", message: string) => void;
  /** The console refused the agent itself (token revoked, agent retired): it has stopped. */
  onFatal?: (message: string) => void;
};

export type AgentRuntime = {
  agentId: string;
  name: string;
  running(): string[];
  /** Stops claiming, interrupts running attempts (reported as interrupted), waits for them. */
  stop(reason?: string): Promise<void>;
  /** Settles once the agent has stopped (by stop() or a fatal refusal). */
  stopped: Promise<void>;
};

type Why = "cancel" | "stop" | "lost";
type Running = { controller: AbortController; why?: Why; whyText?: string; done: Promise<void> };

const errorCode = (e: unknown) => (e && typeof e === "object" && typeof (e as { code?: unknown }).code === "string" ? (e as { code: string }).code : "FAILED");
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

function plannedOutputs(plan: unknown): string[] {
  const disks = (plan as { disks?: { targetPath?: unknown }[] } | null)?.disks;
  return Array.isArray(disks) ? disks.map((d) => d.targetPath).filter((p): p is string => typeof p === "string") : [];
}

export async function startAgentRuntime(options: AgentRuntimeOptions): Promise<AgentRuntime> {
  const { transport, runner, name } = options;
  const say = options.onMessage ?? (() => undefined);
  const hostname = options.hostname ?? os.hostname();
  const scratchRoot = path.join(options.scratchDir, name);
  const read = options.readCapabilities ?? readCapabilities;
  const readCaps = () => read({ scratchDir: options.scratchDir, concurrency: options.concurrency, libvirtUri: options.libvirtUri });

  // Whatever a previous process of this agent left (programs still running, files) belongs to
  // attempts that are over.
  const orphans = await killOrphans(scratchRoot);
  if (orphans.length > 0) say("warn", `killed ${orphans.length} program(s) a previous run of this agent left running (pids ${orphans.join(", ")})`);
  process.env[AGENT_MARKER] = scratchRoot;
  await mkdir(scratchRoot, { recursive: true });
  for (const entry of await readdir(scratchRoot)) await rm(path.join(scratchRoot, entry), { recursive: true, force: true });

  let capabilities = await readCaps();
  let freshCaps: AgentCapabilities | undefined;
  // A console that is not up yet (or restarting) is waited for; a refusal is final.
  let reg;
  for (;;) {
    try {
      reg = await transport.register({ name, hostname, version: options.version, concurrency: options.concurrency, capabilities });
      break;
    } catch (e) {
      if (!(e instanceof AgentRequestError && e.kind === "transient")) throw e;
      say("warn", `cannot register yet (${e.message}); trying again in 5 s`);
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
  const agentId = reg.agentId;
  say("info", `registered as ${name} with ${transport.describe} (heartbeat every ${reg.heartbeatSeconds} s)`);
  const sourceDirs = options.sourceDirs ?? [];
  const sourceDirsHint = options.sourceDirsHint ?? DEFAULT_HINT;
  say("info", sourceDirs.length > 0 ? `local source disks are read only under ${sourceDirs.join(", ")}` : "no source directories configured: local source disks are refused (remote sources only)");

  const jobs = new Map<string, Running>();
  let stopping = false;
  let wake: () => void = () => undefined;
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((r) => (resolveStopped = r));

  const abortJob = (id: string, why: Why, text: string) => {
    const job = jobs.get(id);
    if (!job || job.controller.signal.aborted) return;
    job.why = why;
    job.whyText = text;
    job.controller.abort(new Error(text));
  };

  const fatal = async (message: string) => {
    if (stopping) return;
    say("error", message);
    options.onFatal?.(message);
    await stop(message);
  };

  async function sendResult(result: TResult): Promise<void> {
    for (let i = 0; ; i++) {
      try {
        return await transport.result(result);
      } catch (e) {
        if (e instanceof AgentRequestError && e.kind === "transient" && i < 30) {
          await new Promise((r) => setTimeout(r, Math.min(5000, 500 * (i + 1))));
          continue;
        }
        say("warn", `the console refused the result of conversion ${result.conversionId} attempt ${result.attempt}: ${errorText(e)}`);
        return;
      }
    }
  }

  async function runJob(job: ClaimedJob, running: Running): Promise<void> {
    const signal = running.controller.signal;
    const ids = { agentId, conversionId: job.id, attempt: job.attempt };
    const reporter = createReporter(transport, ids, {
      onStale: (m) => abortJob(job.id, "lost", m),
      onError: (m) => say("warn", `conversion #${job.number}: could not send its log yet: ${m}`),
    });
    const scratchDir = path.join(scratchRoot, `conv-${job.number}-attempt-${job.attempt}`);
    const ctx: StageContext = { log: reporter.log, progress: reporter.progress, signal, scratchDir };
    const recordOutputs = (paths: string[]) => transport.outputs({ ...ids, paths });
    let result: TResult;
    try {
      await mkdir(scratchDir, { recursive: true });
      ctx.log("info", `Agent ${name} on ${hostname} runs attempt ${job.attempt}${job.dryRun ? " (dry run)" : ""}`, "agent");
      for (const leftover of job.cleanup) {
        await rm(leftover, { recursive: true, force: true });
        ctx.log("info", `Removed ${leftover}, left by an interrupted earlier attempt`, "agent");
      }
      // The target as this agent sees it now: a pool or network that is gone is refused
      // here, before anything is copied, in virt-v2v's words.
      assertRunnable(capabilities, job);
      const planned = plannedOutputs(job.plan);
      if (planned.length > 0) await recordOutputs(planned);
      const outcome = await runner(ctx, { ...job, recordOutputs, capabilities, sourceDirs, sourceDirsHint });
      result = { ...ids, status: outcome.status, ...(outcome.plan !== undefined ? { plan: outcome.plan } : {}), ...(outcome.result !== undefined ? { result: outcome.result } : {}) };
      ctx.log("info", outcome.status === "planned" ? "Planned (dry run): nothing was copied" : "Finished", "agent");
    } catch (e) {
      let status: FinalStatus = "failed";
      let code = errorCode(e);
      let message = errorText(e);
      if (signal.aborted && running.why === "cancel") [status, code, message] = ["cancelled", "CANCELLED", "Cancelled from the console."];
      else if (signal.aborted && running.why === "stop") [status, code, message] = ["interrupted", "AGENT_STOPPED", running.whyText ?? `The agent ${name} stopped.`];
      ctx.log(status === "failed" ? "error" : "info", message, "agent");
      result = { ...ids, status, errorCode: code, error: message };
    } finally {
      await rm(scratchDir, { recursive: true, force: true }).catch(() => undefined);
    }
    await reporter.close();
    if (running.why !== "lost") await sendResult(result);
    say("info", `conversion #${job.number} attempt ${job.attempt}: ${running.why === "lost" ? "no longer assigned to this agent" : result.status}`);
  }

  const heartbeatMs = options.heartbeatMs ?? reg.heartbeatSeconds * 1000;
  let beating = false;
  const heartbeat = setInterval(() => {
    if (beating || stopping) return;
    beating = true;
    const caps = freshCaps;
    freshCaps = undefined;
    transport
      .heartbeat({ agentId, running: [...jobs.keys()], ...(caps ? { capabilities: caps } : {}) })
      .then((reply) => {
        for (const id of reply.cancel) abortJob(id, jobs.get(id) ? "cancel" : "lost", "Cancelled from the console.");
      })
      .catch((e: unknown) => {
        if (caps && !freshCaps) freshCaps = caps;
        if (e instanceof AgentRequestError && e.kind === "auth") void fatal(`the console refused this agent: ${e.message}`);
        else say("warn", `heartbeat failed: ${errorText(e)}`);
      })
      .finally(() => (beating = false));
  }, heartbeatMs);
  const refresh = setInterval(() => {
    readCaps()
      .then((c) => {
        capabilities = c;
        freshCaps = c;
      })
      .catch((e: unknown) => say("warn", `could not read capabilities: ${errorText(e)}`));
  }, options.capabilitiesRefreshMs ?? 60_000);
  refresh.unref();

  const loop = (async () => {
    while (!stopping) {
      if (jobs.size < options.concurrency) {
        try {
          const job = await transport.claim(agentId);
          if (job && !stopping) {
            const running: Running = { controller: new AbortController(), done: Promise.resolve() };
            jobs.set(job.id, running);
            say("info", `claimed conversion #${job.number} (${job.guestName}) attempt ${job.attempt}`);
            running.done = runJob(job, running)
              .catch((e: unknown) => say("error", `conversion #${job.number}: ${errorText(e)}`))
              .finally(() => {
                jobs.delete(job.id);
                wake();
              });
            continue;
          }
        } catch (e) {
          if (e instanceof AgentRequestError && e.kind === "auth") {
            void fatal(`the console refused this agent: ${e.message}`);
            break;
          }
          say("warn", `could not ask for work: ${errorText(e)}`);
        }
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, options.pollMs ?? 2000);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  })();

  async function stop(reason = `The agent ${name} stopped while running this conversion.`): Promise<void> {
    if (stopping) return stopped;
    stopping = true;
    wake();
    for (const id of jobs.keys()) abortJob(id, "stop", reason);
    await Promise.all([...jobs.values()].map((j) => j.done));
    await loop;
    clearInterval(heartbeat);
    clearInterval(refresh);
    resolveStopped();
  }

  return { agentId, name, running: () => [...jobs.keys()], stop, stopped };
}
