import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";

/** Term/detail pairs for a detail page: source host, guest OS, target pool ... */
export function DescriptionList({ className, ...rest }: ComponentProps<"dl">) {
  return <dl className={cn("@container divide-y divide-line text-sm", className)} {...rest} />;
}

export function DescriptionItem({ term, children, className }: { term: ReactNode; children: ReactNode; className?: string }) {
  return (
    <div className={cn("grid gap-1 py-2.5 @sm:grid-cols-[8.5rem_minmax(0,1fr)] @sm:gap-4 @2xl:grid-cols-[13rem_minmax(0,1fr)]", className)}>
      <dt className="text-fg-muted">{term}</dt>
      <dd className="min-w-0 break-words text-fg">{children}</dd>
    </div>
  );
}
