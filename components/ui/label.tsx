import type { ComponentProps } from "react";
import { cn } from "./cn";

export type LabelProps = ComponentProps<"label"> & {
  /** Marks the field as required (a visual asterisk plus screen-reader text). */
  required?: boolean;
};

export function Label({ className, required = false, children, ...rest }: LabelProps) {
  return (
    <label className={cn("block text-sm font-medium text-fg", className)} {...rest}>
      {children}
      {required ? (
        <>
          <span aria-hidden="true" className="ml-0.5 text-danger-fg">
            *
          </span>
          <span className="sr-only"> (required)</span>
        </>
      ) : null}
    </label>
  );
}
