// A conversion's log: one row per line (time, level, stage, message), oldest first, newest at
// the bottom. The scroll box is bottom-anchored (column-reverse), so a page refresh that adds
// lines keeps the newest in view without any script.
import { cn } from "@/components/ui/cn";
import type { LogLevel, LogLine } from "@/server/conversions/get-conversion";

const LEVEL: Record<LogLevel, string> = {
  debug: "text-fg-subtle",
  info: "text-fg",
  warn: "text-warning-fg",
  error: "text-danger-fg font-medium",
};

const time = (d: Date | string) => (typeof d === "string" ? new Date(d) : d).toISOString().slice(11, 23);

export function LogView({ lines, hasEarlier, empty }: { lines: LogLine[]; hasEarlier: boolean; empty: string }) {
  if (lines.length === 0) return <p className="px-4 py-4 text-sm text-fg-muted sm:px-5">{empty}</p>;
  return (
    <div className="flex max-h-[32rem] flex-col-reverse overflow-auto rounded-b-lg bg-surface-subtle">
      <table className="w-full border-collapse font-mono text-[0.8125rem] leading-relaxed" aria-label="Log lines, oldest first">
        <thead className="sr-only">
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Level</th>
            <th scope="col">Stage</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {hasEarlier ? (
            <tr>
              <td colSpan={4} className="px-4 py-1.5 font-sans text-xs text-fg-muted sm:px-5">Earlier lines are not shown.</td>
            </tr>
          ) : null}
          {lines.map((l) => (
            <tr key={l.seq} data-level={l.level} className={cn("align-top", l.level === "error" && "bg-danger-soft/60", l.level === "warn" && "bg-warning-soft/50")}>
              <td className="w-px whitespace-nowrap py-0.5 pr-3 pl-4 text-fg-subtle tabular-nums sm:pl-5">{time(l.at)}</td>
              <td className={cn("w-px py-0.5 pr-3 uppercase", LEVEL[l.level])}>{l.level}</td>
              <td className="w-px whitespace-nowrap py-0.5 pr-3 text-fg-muted">{l.stage}</td>
              <td className={cn("py-0.5 pr-4 break-words whitespace-pre-wrap sm:pr-5", LEVEL[l.level])}>{l.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
