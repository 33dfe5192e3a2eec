import type { ComponentProps } from "react";
import { cn } from "./cn";
import { controlClassName } from "./input";

export type TextareaProps = ComponentProps<"textarea"> & {
  /** Monospace text, for pasted configuration files and the like. */
  mono?: boolean;
};

export function Textarea({ className, mono = false, rows = 4, ...rest }: TextareaProps) {
  return (
    <textarea
      rows={rows}
      className={cn(controlClassName, "min-h-20 py-2", mono && "font-mono text-[0.8125rem] sm:text-[0.8125rem]", className)}
      {...rest}
    />
  );
}
