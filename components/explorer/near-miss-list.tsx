// Elements that carry the searched name but match at no rung, each with what rules it out;
// and names in the stack that look like the one searched.
import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { attrSummary, layerHref, ordinal } from "./element-attrs";
import type { NearMiss } from "./near-misses";

export function NearMissList({ kind, name, misses, title }: { kind: "app" | "capability"; name: string; misses: NearMiss[]; title: string }) {
  const anchor = kind === "app" ? "apps" : "capabilities";
  return (
    <Card aria-labelledby="near-title">
      <CardHeader
        title={<span id="near-title">{title}</span>}
        description={<>Every {kind} named <code className="font-mono">{name}</code> that fits at no rung, and what rules it out.</>}
      />
      <Table framed={false} caption={title}>
        <THead>
          <TR>
            <TH>Layer</TH>
            <TH>Element</TH>
            <TH>Why it does not match</TH>
          </TR>
        </THead>
        <TBody>
          {misses.map((m) => (
            <TR key={`${m.layerId}-${m.index}`} data-testid="near-miss-row">
              <TD className="align-top">
                <Link href={layerHref(m.layerId, anchor)} className="font-medium text-accent-fg hover:underline">
                  {m.layerName}
                </Link>{" "}
                <span className="text-xs text-fg-subtle">{ordinal(m.layerPosition)}</span>
              </TD>
              <TD className="align-top">
                <code className="font-mono text-[0.8125rem]">{attrSummary(m.element)}</code>
                {m.element.path ? <code className="block font-mono text-xs text-fg-subtle">{m.element.path}</code> : null}
              </TD>
              <TD wrap className="align-top text-[0.8125rem] text-fg-muted">
                <ul className="space-y-0.5">
                  {m.reasons.map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </ul>
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </Card>
  );
}
