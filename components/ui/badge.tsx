import type { ComponentProps } from "react";
import { cn } from "./cn";

export type BadgeTone = "neutral" | "success" | "warning" | "danger" | "info" | "accent";

const tones: Record<BadgeTone, { badge: string; dot: string }> = {
  neutral: { badge: "bg-surface-muted text-fg-muted ring-line-strong/60", dot: "bg-fg-subtle" },
  success: { badge: "bg-success-soft text-success-fg ring-success-line", dot: "bg-success-solid" },
  warning: { badge: "bg-warning-soft text-warning-fg ring-warning-line", dot: "bg-warning-solid" },
  danger: { badge: "bg-danger-soft text-danger-fg ring-danger-line", dot: "bg-danger-solid" },
  info: { badge: "bg-info-soft text-info-fg ring-info-line", dot: "bg-info-solid" },
  accent: { badge: "bg-accent-soft text-accent-fg ring-accent-line", dot: "bg-accent" },
};

export type BadgeProps = ComponentProps<"span"> & {
  tone?: BadgeTone;
  /** A small status dot before the text; `pulse` animates it (for "running"). */
  dot?: boolean;
  pulse?: boolean;
};

export function Badge({ tone = "neutral", dot = false, pulse = false, className, children, ...rest }: BadgeProps) {
  const t = tones[tone];
  return (
    <span
      className={cn(
        "inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset",
        t.badge,
        className,
      )}
      {...rest}
    >
      {dot || pulse ? (
        <span aria-hidden="true" className="relative flex size-1.5">
          {pulse ? <span className={cn("absolute inline-flex size-full animate-ping rounded-full opacity-60", t.dot)} /> : null}
          <span className={cn("relative inline-flex size-1.5 rounded-full", t.dot)} />
        </span>
      ) : null}
      {children}
    </span>
  );
}
