import type { ReactNode } from "react";
import { cn } from "./cn";

export type EmptyStateProps = {
  /** An icon from ./icons, e.g. <ConversionsIcon />. */
  icon?: ReactNode;
  title: ReactNode;
  /** What will appear here, and how to make it appear. */
  description?: ReactNode;
  /** A primary action: a ButtonLink or Button. */
  action?: ReactNode;
  /** Drops the dashed frame, for use inside a Card. */
  bare?: boolean;
  className?: string;
};

export function EmptyState({ icon, title, description, action, bare = false, className }: EmptyStateProps) {
  return (
    <div
      className={cn(
        "flex flex-col items-center px-6 py-12 text-center sm:py-16",
        !bare && "rounded-lg border border-dashed border-line-strong bg-surface",
        className,
      )}
    >
      {icon ? (
        <div
          aria-hidden="true"
          className="mb-4 flex size-11 items-center justify-center rounded-full bg-accent-soft text-accent-fg ring-1 ring-accent-line ring-inset [&_svg]:size-5"
        >
          {icon}
        </div>
      ) : null}
      <h2 className="text-base font-semibold text-fg">{title}</h2>
      {description ? <div className="mt-1.5 max-w-md text-sm text-fg-muted">{description}</div> : null}
      {action ? <div className="mt-5 flex flex-wrap justify-center gap-2">{action}</div> : null}
    </div>
  );
}
