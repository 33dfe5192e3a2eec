// Every other element that matched, in the order virt-v2v would have reached it, with why it lost.
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { ExplainResult } from "@/server/config/explain-match";
import type { MatchAttrs } from "@/server/v2v/model";
import { attrSummary, layerHref, ordinal } from "./element-attrs";
import { whyShadowed } from "./ladder";

type Found = Extract<ExplainResult, { found: true }>;

export function ShadowedList({ result }: { result: Found }) {
  const anchor = result.kind === "app" ? "apps" : "capabilities";
  return (
    <Card aria-labelledby="shadowed-title">
      <CardHeader
        title={<span id="shadowed-title">Shadowed candidates ({result.shadowed.length})</span>}
        description="Elements that also match this guest but lose to the winner. Deleting or moving the winner would promote the first of them."
      />
      {result.shadowed.length === 0 ? (
        <CardBody className="text-sm text-fg-muted">Nothing else matches: the winner is the only element in the stack that fits this guest.</CardBody>
      ) : (
        <Table framed={false} caption="Shadowed candidates">
          <THead>
            <TR>
              <TH>Layer</TH>
              <TH>Rung</TH>
              <TH>Element</TH>
              {result.kind === "app" ? <TH>Path</TH> : null}
              <TH>Why it lost</TH>
            </TR>
          </THead>
          <TBody>
            {result.shadowed.map((c, i) => (
              <TR key={`${c.layerId}-${c.index}`} data-testid="shadowed-row">
                <TD>
                  <Link href={layerHref(c.layerId, anchor)} className="font-medium text-accent-fg hover:underline">
                    {c.layerName}
                  </Link>{" "}
                  <span className="text-xs text-fg-subtle">{ordinal(c.layerPosition)}</span>
                  {i === 0 ? <Badge className="ml-2">next in line</Badge> : null}
                </TD>
                <TD>
                  <span className="font-medium">rung {c.rung}</span>
                  <span className="block text-xs text-fg-muted">{c.rungText}</span>
                </TD>
                <TD>
                  <code className="font-mono text-[0.8125rem]">{attrSummary(c.element as MatchAttrs)}</code>
                </TD>
                {result.kind === "app" ? (
                  <TD>
                    <code className="font-mono text-[0.8125rem] text-fg-muted">{(c.element as { path?: string }).path}</code>
                  </TD>
                ) : null}
                <TD wrap className="text-[0.8125rem] text-fg-muted">
                  {whyShadowed(result.winner, c)}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}
