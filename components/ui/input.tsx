import type { ComponentProps } from "react";
import { cn } from "./cn";

/** Shared look of text-like controls; aria-invalid turns the border red. */
export const controlClassName =
  "block w-full rounded-md border border-line-strong bg-surface px-3 text-base text-fg shadow-xs sm:text-sm " +
  "placeholder:text-fg-subtle transition-colors " +
  "focus-visible:border-focus focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-focus/30 " +
  "disabled:cursor-not-allowed disabled:bg-surface-muted disabled:text-fg-subtle [&[readonly]]:bg-surface-subtle " +
  "aria-invalid:border-danger-solid aria-invalid:focus-visible:outline-danger-solid/30";

export type InputProps = ComponentProps<"input">;

export function Input({ className, type = "text", ...rest }: InputProps) {
  return (
    <input
      type={type}
      className={cn(
        controlClassName,
        "h-9 file:mr-3 file:h-full file:border-0 file:bg-transparent file:text-sm file:font-medium file:text-fg",
        type === "file" && "px-0 pr-3 file:border-r file:border-line file:px-3",
        className,
      )}
      {...rest}
    />
  );
}
