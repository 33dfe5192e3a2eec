import type { ComponentProps } from "react";
import { cn } from "./cn";
import { ChevronDownIcon } from "./icons";
import { controlClassName } from "./input";

export type SelectProps = ComponentProps<"select">;

/** A native select with the console's look. className goes on the wrapper (for widths). */
export function Select({ className, children, ...rest }: SelectProps) {
  return (
    <div className={cn("relative", className)}>
      <select className={cn(controlClassName, "h-9 appearance-none pr-9")} {...rest}>
        {children}
      </select>
      <ChevronDownIcon className="pointer-events-none absolute top-1/2 right-2.5 size-4 -translate-y-1/2 text-fg-subtle" />
    </div>
  );
}
