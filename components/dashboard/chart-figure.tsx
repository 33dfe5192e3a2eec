// A server-rendered chart with its numbers beside it: the SVG for the eye, a table (visually
// hidden) for screen readers and for anyone who wants the exact figures.
import type { ReactNode } from "react";
import { Card, CardHeader } from "@/components/ui/card";

export type ChartTable = { columns: string[]; rows: (string | number)[][] };

export function ChartFigure({ id, title, description, svg, table, empty }: { id: string; title: string; description?: ReactNode; svg: string; table: ChartTable; empty?: string | null }) {
  return (
    <Card aria-labelledby={`${id}-title`} data-chart={id}>
      <CardHeader title={<span id={`${id}-title`}>{title}</span>} description={description} />
      <figure className="px-3 pb-4 sm:px-4">
        {empty ? (
          <p className="px-2 py-10 text-center text-sm text-fg-muted">{empty}</p>
        ) : (
          // ECharts' own markup, made on the server from numbers only (no user text in it).
          <div role="img" aria-label={title} className="[&_svg]:h-auto [&_svg]:w-full" dangerouslySetInnerHTML={{ __html: svg }} />
        )}
        <table className="sr-only">
          <caption>{title}</caption>
          <thead>
            <tr>{table.columns.map((c) => <th key={c} scope="col">{c}</th>)}</tr>
          </thead>
          <tbody>
            {table.rows.map((r) => (
              <tr key={String(r[0])}>{r.map((v, i) => (i === 0 ? <th key={i} scope="row">{v}</th> : <td key={i}>{v}</td>))}</tr>
            ))}
          </tbody>
        </table>
      </figure>
    </Card>
  );
}
