"use client";
// Progress a person can trust: the stage pipeline with the current stage marked, the current
// stage's bar, per-disk bytes, rate and time left, and a plain warning when the agent has gone
// quiet for longer than the console's timeout.
import { formatBytes, formatDuration, formatRate } from "@/components/software/format";
import { Alert } from "@/components/ui/alert";
import { cn } from "@/components/ui/cn";
import { Progress } from "@/components/ui/progress";
import type { LiveAgent } from "@/server/realtime/events";
import { agentSilentFor, STAGES, type ProgressTracker } from "./live-model";
import { progressText } from "./progress-line";

const DONE_STATES = new Set(["succeeded", "planned"]);

export function LiveProgress({ status, stage, tracker, agent, now }: { status: string; stage: string | null; tracker: ProgressTracker; agent: { agent: LiveAgent; receivedAt: number } | null; now: number }) {
  const p = tracker.latest;
  const current = stage ? STAGES.indexOf(stage as (typeof STAGES)[number]) : -1;
  const rate = tracker.rate();
  const left = tracker.secondsLeft();
  const silent = status === "running" && agent ? agentSilentFor(agent.agent, agent.receivedAt, now) : null;
  const copyIndex = STAGES.indexOf("copy");
  const disks = tracker.disks().map((d) => (current > copyIndex || DONE_STATES.has(status) ? { ...d, copied: d.size } : d));
  return (
    <div className="space-y-4" data-testid="live-progress" data-status={status}>
      <ol className="flex flex-wrap gap-1.5 text-xs" aria-label="Stages">
        {STAGES.map((s, i) => {
          const done = DONE_STATES.has(status) ? true : i < current;
          const here = i === current && !DONE_STATES.has(status);
          return (
            <li key={s} aria-current={here ? "step" : undefined} data-state={here ? "current" : done ? "done" : "todo"}
              className={cn("rounded-full border px-2.5 py-1", here ? "border-accent bg-accent text-on-accent font-medium" : done ? "border-line bg-surface-muted text-fg" : "border-line text-fg-subtle")}>
              {s}
            </li>
          );
        })}
      </ol>
      {silent !== null && agent ? (
        <Alert tone="warning" title="The agent stopped reporting">
          {agent.agent.name} has not sent a heartbeat for {formatDuration(silent)} (the console waits {agent.agent.timeoutSeconds} s): the conversion may be stuck or the agent's host lost. It is marked interrupted when the console gives up on the agent.
        </Alert>
      ) : null}
      {p ? (
        <div className="space-y-1.5">
          <Progress value={p.total > 0 ? p.done : null} max={p.total || 1} label={`${p.stage} progress`} valueText={progressText(p)} />
          <p className="text-sm text-fg-muted tabular-nums" data-testid="progress-text">
            {progressText(p)}
            {rate !== null && p.unit === "bytes" ? <> · {formatRate(rate)}</> : null}
            {left !== null && p.done < p.total ? <> · about {formatDuration(Math.ceil(left))} left</> : null}
          </p>
        </div>
      ) : status === "running" ? (
        <Progress label="Waiting for the first progress report" />
      ) : null}
      {disks.length > 0 ? (
        <ul className="space-y-1 text-sm" aria-label="Disks">
          {disks.map((d) => (
            <li key={d.name} className="flex items-center gap-3">
              <span className="w-24 truncate font-mono text-[0.8125rem]">{d.name}</span>
              <Progress className="max-w-64" value={d.copied} max={d.size || 1} label={`disk ${d.name}`} valueText={`${formatBytes(d.copied)} of ${formatBytes(d.size)}`} />
              <span className="text-fg-muted tabular-nums">{formatBytes(d.copied)} of {formatBytes(d.size)}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

