import { cn } from "./cn";

export type ProgressProps = {
  /** 0..max; omit for an indeterminate bar (state the reason for the wait next to it). */
  value?: number | null;
  max?: number;
  /** Accessible name, e.g. "Copying disk sda". */
  label: string;
  /** Spoken value, e.g. "3.2 GiB of 20 GiB, 4 minutes left". */
  valueText?: string;
  tone?: "accent" | "success" | "warning" | "danger";
  className?: string;
};

const fills = {
  accent: "bg-accent",
  success: "bg-success-solid",
  warning: "bg-warning-solid",
  danger: "bg-danger-solid",
} as const;

export function Progress({ value, max = 100, label, valueText, tone = "accent", className }: ProgressProps) {
  const known = typeof value === "number" && Number.isFinite(value);
  const pct = known ? Math.min(100, Math.max(0, (value / max) * 100)) : 0;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={known ? value : undefined}
      aria-valuetext={valueText}
      className={cn("relative h-1.5 w-full overflow-hidden rounded-full bg-surface-muted", className)}
    >
      {known ? (
        <div className={cn("h-full rounded-full transition-[width] duration-500", fills[tone])} style={{ width: `${pct}%` }} />
      ) : (
        <div className={cn("absolute inset-y-0 w-1/3 animate-indeterminate rounded-full", fills[tone])} />
      )}
    </div>
  );
}
