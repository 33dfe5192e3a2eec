// Failures grouped by cause: a bar per cause (how often), then each cause with links to its
// conversions and to the last one that succeeded after it.
import Link from "next/link";
import { formatWhen } from "@/components/conversions/format";
import { Card, CardHeader } from "@/components/ui/card";
import type { FailureGroup } from "@/server/conversions/dashboard-failures";
import { ChartFigure } from "./chart-figure";
import { CHART_COLORS, renderChart } from "./render-chart";

export function FailureGroups({ groups, days }: { groups: FailureGroup[]; days: number }) {
  if (groups.length === 0) {
    return (
      <Card data-chart="failures">
        <CardHeader title="Failures by cause" description={`Failed and interrupted conversions of the last ${days} days, one group per cause.`} />
        <p className="px-5 py-8 text-center text-sm text-fg-muted">No failures in this period.</p>
      </Card>
    );
  }
  const names = groups.map((_, i) => `cause ${i + 1}`);
  const svg = renderChart(
    {
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1, splitLine: { lineStyle: { color: CHART_COLORS.grid } }, axisLabel: { color: CHART_COLORS.text } },
      yAxis: { type: "category", inverse: true, data: names, axisLine: { lineStyle: { color: CHART_COLORS.axis } }, axisTick: { show: false }, axisLabel: { color: CHART_COLORS.text } },
      series: [{ name: "failures", type: "bar", barMaxWidth: 18, itemStyle: { color: CHART_COLORS.failed }, label: { show: true, position: "right", color: CHART_COLORS.text }, data: groups.map((g) => g.count) }],
    },
    { width: 1100, height: 30 + groups.length * 28 },
  );
  return (
    <div className="space-y-4">
      <ChartFigure id="failures" title="Failures by cause" description={`Failed and interrupted conversions of the last ${days} days (retried ones too), grouped by their normalised error message.`} svg={svg} table={{ columns: ["Cause", "Failures", "Message"], rows: groups.map((g, i) => [names[i]!, g.count, g.key]) }} />
      <ol className="space-y-3" aria-label="Failure causes">
        {groups.map((g, i) => (
          <li key={g.key} className="rounded-lg border border-line bg-surface px-4 py-3" data-failure-group={i + 1}>
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <p className="text-sm font-medium text-fg">
                <span className="mr-2 text-fg-subtle">cause {i + 1}</span>
                <span className="font-mono text-[0.8125rem] text-danger-fg">{g.key}</span>
              </p>
              <span className="text-sm tabular-nums text-fg-muted">{g.count} {g.count === 1 ? "failure" : "failures"}</span>
            </div>
            <p className="mt-1 text-xs text-fg-muted" title="The newest occurrence's own message">e.g. {g.example}</p>
            <p className="mt-2 flex flex-wrap gap-x-2 gap-y-1 text-[0.8125rem]">
              {g.occurrences.map((o) => (
                <Link key={`${o.conversionId}-${o.at.getTime()}`} href={`/conversions/${o.conversionId}`} className="text-accent-fg hover:underline" title={`${o.guestName}, ${formatWhen(o.at)}`}>
                  #{o.number} {o.guestName}
                </Link>
              ))}
              {g.count > g.occurrences.length ? <span className="text-fg-subtle">and {g.count - g.occurrences.length} more</span> : null}
            </p>
            <p className="mt-2 text-[0.8125rem] text-fg-muted">
              {g.lastSucceeded ? (
                <>
                  Last success after this error:{" "}
                  <Link href={`/conversions/${g.lastSucceeded.conversionId}`} className="font-medium text-success-fg hover:underline" data-last-success>
                    #{g.lastSucceeded.number} {g.lastSucceeded.guestName}
                  </Link>{" "}
                  ({formatWhen(g.lastSucceeded.finishedAt)})
                </>
              ) : (
                "No conversion of these guests has succeeded since."
              )}
            </p>
          </li>
        ))}
      </ol>
    </div>
  );
}
