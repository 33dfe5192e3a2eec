// The search drawn as virt-v2v walks it: down each layer's eight rungs, then on to the next
// layer. Numbers are the order cells were tried; the search stops at the first match.
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import type { RUNG_TEXT } from "@/server/config/explain-match";
import type { MatchAttrs } from "@/server/v2v/model";
import { attrSummary, ordinal } from "./element-attrs";
import { RUNG_ATTRS, type Ladder, type LadderCell } from "./ladder";

const cellTone: Record<LadderCell["state"], string> = {
  skipped: "bg-surface-subtle text-fg-subtle",
  same: "bg-surface-subtle text-fg-subtle",
  empty: "bg-surface text-fg-muted",
  winner: "bg-success-soft text-success-fg ring-2 ring-inset ring-success-solid",
  shadowed: "bg-warning-soft text-warning-fg",
  "not-reached": "bg-surface-subtle text-fg-subtle",
};

function Step({ cell }: { cell: LadderCell }) {
  if (cell.step === undefined) return null;
  return (
    <span
      className={cn(
        "inline-flex size-5 shrink-0 items-center justify-center rounded-full text-[0.6875rem] font-semibold tabular-nums",
        cell.state === "winner" ? "bg-success-solid text-white" : "border border-line-strong bg-surface text-fg-muted",
      )}
      title={`Tried ${ordinal(cell.step)}`}
    >
      {cell.step}
    </span>
  );
}

function Cell({ cell }: { cell: LadderCell }) {
  const elements = [...(cell.winner ? [cell.winner] : []), ...cell.candidates];
  return (
    <td className={cn("h-12 min-w-48 border border-line px-2.5 py-2 align-top text-xs", cellTone[cell.state])} data-state={cell.state} data-rung={cell.rung}>
      <div className="flex items-start gap-2">
        <Step cell={cell} />
        <div className="min-w-0 space-y-1">
          <p className={cn(cell.state === "winner" && "font-semibold", cell.state === "shadowed" && "font-medium", cell.state === "not-reached" && "italic")}>
            {cell.state === "winner" ? "✓ Winner" : cell.note}
          </p>
          {elements.length ? (
            <ul className="space-y-0.5">
              {elements.map((e, i) => (
                <li key={`${e.layerId}-${e.index}`} className={cn("font-mono text-[0.6875rem] break-all", i === 0 && cell.winner ? "text-fg" : "text-fg-muted line-through decoration-warning-solid/60")}>
                  {attrSummary(e.element as MatchAttrs)}
                </li>
              ))}
            </ul>
          ) : null}
          {cell.state === "winner" && cell.candidates.length ? <p className="text-warning-fg">{cell.note.replace("matched; ", "")}</p> : null}
        </div>
      </div>
    </td>
  );
}

export function LadderGrid({ ladder, rungText, found }: { ladder: Ladder; rungText: typeof RUNG_TEXT; found: boolean }) {
  return (
    <Card aria-labelledby="ladder-title">
      <CardHeader
        title={<span id="ladder-title">The search, step by step</span>}
        description={
          <>
            virt-v2v reads down each layer&apos;s rungs, most specific first, then moves on to the next layer, and stops at the first element that matches. An earlier layer therefore wins even with a less specific rung.{" "}
            {found ? `It looked in ${ladder.steps} ${ladder.steps === 1 ? "place" : "places"}.` : `It looked in ${ladder.steps} places and found nothing.`}
          </>
        }
      />
      <CardBody className="space-y-3">
        <div className="overflow-x-auto">
          <table className="w-full border-collapse text-left" style={{ maxWidth: `${18 + ladder.layers.length * 24}rem` }} aria-describedby="ladder-legend">
            <caption className="sr-only">Matching ladder: rungs by layers, in search order</caption>
            <thead>
              <tr>
                <th scope="col" className="w-72 min-w-64 px-2.5 pb-2 text-xs font-medium text-fg-muted">
                  Rung · compares
                </th>
                {ladder.layers.map((l, i) => (
                  <th key={l.id} scope="col" className="px-2.5 pb-2 text-xs font-medium text-fg">
                    <span className="text-sm font-semibold">{l.name}</span> <span className="font-normal text-fg-subtle">· {ordinal(i + 1)}</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {ladder.rows.map((row, r) => {
                const rung = (r + 1) as keyof typeof RUNG_ATTRS;
                return (
                  <tr key={rung}>
                    <th scope="row" className="border border-line bg-surface-subtle px-2.5 py-2 align-top text-xs font-normal">
                      <span className="flex flex-wrap items-center gap-1">
                        <span className="mr-1 font-semibold text-fg">Rung {rung}</span>
                        {["name", "os", ...RUNG_ATTRS[rung]].map((a) => (
                          <span key={a} className="rounded bg-accent-soft px-1 font-mono text-[0.6875rem] text-accent-fg">
                            {a}
                          </span>
                        ))}
                      </span>
                      <span className="mt-0.5 block text-fg-muted">{rungText[rung]}</span>
                    </th>
                    {row.map((cell) => (
                      <Cell key={cell.layerIndex} cell={cell} />
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <ul id="ladder-legend" className="flex flex-wrap gap-x-4 gap-y-1.5 text-xs text-fg-muted">
          <li className="flex items-center gap-1.5"><span className="inline-flex size-4 items-center justify-center rounded-full border border-line-strong bg-surface text-[0.625rem]">1</span> tried, in this order</li>
          <li className="flex items-center gap-1.5"><span className="size-3 rounded-sm bg-success-soft ring-2 ring-inset ring-success-solid" /> winner</li>
          <li className="flex items-center gap-1.5"><span className="size-3 rounded-sm bg-warning-soft ring-1 ring-inset ring-warning-line" /> shadowed candidates</li>
          <li className="flex items-center gap-1.5"><span className="size-3 rounded-sm bg-surface-subtle ring-1 ring-inset ring-line" /> skipped or not reached</li>
        </ul>
      </CardBody>
    </Card>
  );
}
