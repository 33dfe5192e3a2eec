import type { ReactNode } from "react";
import { cn } from "./cn";

export type PageHeaderProps = {
  title: ReactNode;
  description?: ReactNode;
  /** Buttons or links on the right (they wrap below the title on small screens). */
  actions?: ReactNode;
  /** A small line above the title: a back link or breadcrumb. */
  eyebrow?: ReactNode;
  /** Badges or metadata next to / under the title (e.g. a status badge). */
  meta?: ReactNode;
  className?: string;
};

/** The page's h1. Every console page starts with one. */
export function PageHeader({ title, description, actions, eyebrow, meta, className }: PageHeaderProps) {
  return (
    <header
      className={cn("mb-6 flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between", className)}
    >
      <div className="min-w-0">
        {eyebrow ? <div className="mb-1.5 text-sm text-fg-muted">{eyebrow}</div> : null}
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
          <h1 className="text-xl font-semibold tracking-tight text-fg sm:text-2xl">{title}</h1>
          {meta}
        </div>
        {description ? <p className="mt-1.5 max-w-3xl text-sm text-fg-muted">{description}</p> : null}
      </div>
      {actions ? <div className="flex shrink-0 flex-wrap items-center gap-2">{actions}</div> : null}
    </header>
  );
}
