// The two cards of a token page (agent tokens on /agents, API tokens under settings): the tokens
// (or "No tokens yet."), and the form for a new one, whose secret is shown once.
import type { ReactNode } from "react";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";

export type TokenCardsProps = {
  title: string;
  description: string;
  /** The table's caption: "Agent tokens". */
  caption: string;
  /** The headings between Token and Status. */
  columns: string[];
  /** One TokenRow per token. */
  rows: ReactNode[];
  newTitle: string;
  form: ReactNode;
};

export function TokenCards({ title, description, caption, columns, rows, newTitle, form }: TokenCardsProps) {
  return (
    <div className="grid items-start gap-6 2xl:grid-cols-[minmax(0,1fr)_26rem]">
      <Card>
        <CardHeader title={title} description={description} />
        {rows.length === 0 ? (
          <CardBody className="text-sm text-fg-muted">No tokens yet.</CardBody>
        ) : (
          <Table framed={false} caption={caption}>
            <THead>
              <TR>
                <TH>Name</TH>
                <TH>Token</TH>
                {columns.map((c) => (
                  <TH key={c}>{c}</TH>
                ))}
                <TH>Status</TH>
              </TR>
            </THead>
            <TBody>{rows}</TBody>
          </Table>
        )}
      </Card>
      <Card>
        <CardHeader title={newTitle} description="The secret is shown once, right after you create it." />
        {form}
      </Card>
    </div>
  );
}

/** A token's row: its name, the first characters (all the console keeps), the page's cells, its status. */
export function TokenRow({ name, prefix, status, children }: { name: string; prefix: string; status: ReactNode; children: ReactNode }) {
  return (
    <TR>
      <TD>{name}</TD>
      <TD>
        <code className="font-mono text-xs">{prefix}…</code>
      </TD>
      {children}
      <TD>{status}</TD>
    </TR>
  );
}

/** When a token was last used (formatted), or "never". */
export function LastUsed({ at }: { at: string | null }) {
  return at ?? <span className="text-fg-subtle">never</span>;
}
