import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";

export type TableProps = ComponentProps<"table"> & {
  /** Describes the table for screen readers (visually hidden). */
  caption?: ReactNode;
  /** Draws its own bordered surface; set false when the table sits inside a Card. */
  framed?: boolean;
  wrapperClassName?: string;
};

/** A data table. Wide tables scroll horizontally inside their frame on small screens. */
export function Table({ caption, framed = true, wrapperClassName, className, children, ...rest }: TableProps) {
  return (
    <div
      className={cn(
        "overflow-x-auto",
        framed && "rounded-lg border border-line bg-surface shadow-xs",
        wrapperClassName,
      )}
    >
      <table className={cn("w-full border-collapse text-left text-sm", className)} {...rest}>
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        {children}
      </table>
    </div>
  );
}

export function THead({ className, ...rest }: ComponentProps<"thead">) {
  return <thead className={cn("border-b border-line bg-surface-subtle", className)} {...rest} />;
}

export function TBody({ className, ...rest }: ComponentProps<"tbody">) {
  return <tbody className={cn("divide-y divide-line", className)} {...rest} />;
}

export type TRProps = ComponentProps<"tr"> & {
  /** Hover highlight, for rows that link somewhere. */
  interactive?: boolean;
};

export function TR({ interactive = false, className, ...rest }: TRProps) {
  return <tr className={cn(interactive && "transition-colors hover:bg-surface-subtle", className)} {...rest} />;
}

export type CellProps = {
  /** Right-aligned tabular figures, for sizes, counts, durations. */
  numeric?: boolean;
  /** Let the text wrap (cells stay on one line by default; wide tables scroll sideways). */
  wrap?: boolean;
};

export function TH({ numeric = false, scope = "col", className, ...rest }: ComponentProps<"th"> & Pick<CellProps, "numeric">) {
  return (
    <th
      scope={scope}
      className={cn(
        "h-9 px-4 text-xs font-medium whitespace-nowrap text-fg-muted sm:first:pl-5 sm:last:pr-5",
        numeric && "text-right",
        className,
      )}
      {...rest}
    />
  );
}

export function TD({ numeric = false, wrap = false, className, ...rest }: ComponentProps<"td"> & CellProps) {
  return (
    <td
      className={cn(
        "px-4 py-2.5 align-middle text-fg sm:first:pl-5 sm:last:pr-5",
        wrap ? "min-w-48" : "whitespace-nowrap",
        numeric && "text-right tabular-nums",
        className,
      )}
      {...rest}
    />
  );
}
