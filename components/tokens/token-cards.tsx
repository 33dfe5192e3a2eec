// The two cards of a token page (agent tokens on /agents, API tokens under settings): the tokens
// (or "No tokens yet."), and the form for a new one, whose secret is shown once.
import type { ReactNode } from "react";
import { Card, CardBody, CardHeader } from "@/components/ui/card";

export type TokenCardsProps = {
  title: string;
  description: string;
  /** No token yet: the table is not shown. */
  empty: boolean;
  /** The tokens' table. */
  children: ReactNode;
  newTitle: string;
  form: ReactNode;
};

export function TokenCards({ title, description, empty, children, newTitle, form }: TokenCardsProps) {
  return (
    <div className="grid items-start gap-6 2xl:grid-cols-[minmax(0,1fr)_26rem]">
      <Card>
        <CardHeader title={title} description={description} />
        {empty ? <CardBody className="text-sm text-fg-muted">No tokens yet.</CardBody> : children}
      </Card>
      <Card>
        <CardHeader title={newTitle} description="The secret is shown once, right after you create it." />
        {form}
      </Card>
    </div>
  );
}

/** The first characters of a token: all the console keeps of it. */
export function TokenPrefix({ prefix }: { prefix: string }) {
  return <code className="font-mono text-xs">{prefix}…</code>;
}

/** When a token was last used (formatted), or "never". */
export function LastUsed({ at }: { at: string | null }) {
  return at ?? <span className="text-fg-subtle">never</span>;
}
