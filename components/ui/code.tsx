import type { ComponentProps } from "react";
import { cn } from "./cn";

/** Inline code: commands, paths, guest names. */
export function Code({ className, ...rest }: ComponentProps<"code">) {
  return (
    <code
      className={cn(
        "rounded border border-line bg-surface-muted px-1 py-px font-mono text-[0.8125em] text-fg",
        className,
      )}
      {...rest}
    />
  );
}
