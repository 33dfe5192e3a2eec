// One section of a layer's page: an anchored card with a heading, what the order means, its
// outcome messages (Flash) and its content.
import type { ReactNode } from "react";
import { Card, CardHeader } from "@/components/ui/card";
import { Flash } from "./flash";

export function Section({ id, title, description, actions, children }: { id: string; title: ReactNode; description?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <Card id={id} aria-labelledby={`${id}-title`} className="scroll-mt-20">
      <CardHeader title={<span id={`${id}-title`}>{title}</span>} description={description} actions={actions} />
      <Flash>{children}</Flash>
    </Card>
  );
}

/** The position column: elements are tried in this order. */
export function Position({ n }: { n: number }) {
  return <span className="inline-flex size-6 items-center justify-center rounded-full bg-surface-muted text-xs font-medium text-fg-muted tabular-nums">{n}</span>;
}

export function Absent() {
  return <span className="text-fg-subtle">any</span>;
}
