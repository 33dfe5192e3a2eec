// The three per-day charts: outcomes (stacked), median duration, bytes moved.
import type { DailyStats } from "@/server/conversions/dashboard-daily";
import { OUTCOMES } from "@/server/conversions/dashboard-daily";
import { ChartFigure } from "./chart-figure";
import { formatBytes, formatDuration } from "./format";
import { CHART_COLORS, categoryAxis, renderChart, valueAxis } from "./render-chart";

// Drawn near the size they are shown at, so the axis text reads at its real size.
const SIZE = { width: 640, height: 260 };
const WIDE = { width: 1100, height: 280 };
const label = (day: string) => day.slice(5); // MM-DD: the year is in the caption

export function OutcomesChart({ days }: { days: DailyStats[] }) {
  const total = days.reduce((n, d) => n + OUTCOMES.reduce((m, o) => m + d.counts[o], 0), 0);
  const svg = total === 0 ? "" : renderChart(
    {
      legend: { top: 0, left: 0, itemWidth: 10, itemHeight: 10, textStyle: { color: CHART_COLORS.text } },
      xAxis: categoryAxis(days.map((d) => label(d.day))),
      yAxis: valueAxis(),
      series: OUTCOMES.map((o) => ({ name: o === "planned" ? "planned (dry run)" : o, type: "bar" as const, stack: "outcome", barMaxWidth: 36, itemStyle: { color: CHART_COLORS[o] }, data: days.map((d) => d.counts[o]) })),
    },
    WIDE,
  );
  return (
    <ChartFigure
      id="outcomes"
      title="Conversions per day by outcome"
      description={`Ended in the last ${days.length} days (UTC), ${total} in all.`}
      svg={svg}
      empty={total === 0 ? "No conversion ended in this period." : null}
      table={{ columns: ["Day", ...OUTCOMES], rows: days.map((d) => [d.day, ...OUTCOMES.map((o) => d.counts[o])]) }}
    />
  );
}

export function DurationChart({ days }: { days: DailyStats[] }) {
  const any = days.some((d) => d.medianSeconds !== null);
  const minutes = (s: number | null) => (s === null ? null : Math.round((s / 60) * 10) / 10);
  const svg = !any ? "" : renderChart(
    {
      xAxis: categoryAxis(days.map((d) => label(d.day))),
      yAxis: { ...(valueAxis({ name: "minutes" }) as object), minInterval: 0 },
      series: [{ name: "median duration", type: "line", connectNulls: false, symbolSize: 6, lineStyle: { width: 2, color: CHART_COLORS.accent }, itemStyle: { color: CHART_COLORS.accent }, data: days.map((d) => minutes(d.medianSeconds)) }],
    },
    SIZE,
  );
  return (
    <ChartFigure
      id="duration"
      title="Median duration per day"
      description="Start to finish of the runs that succeeded (dry runs left out)."
      svg={svg}
      empty={any ? null : "No run succeeded in this period."}
      table={{ columns: ["Day", "Median duration"], rows: days.map((d) => [d.day, formatDuration(d.medianSeconds === null ? null : d.medianSeconds * 1000)]) }}
    />
  );
}

export function BytesChart({ days }: { days: DailyStats[] }) {
  const total = days.reduce((n, d) => n + d.bytes, 0);
  const GiB = 1024 ** 3;
  const svg = total === 0 ? "" : renderChart(
    {
      xAxis: categoryAxis(days.map((d) => label(d.day))),
      yAxis: { ...(valueAxis({ name: "GiB" }) as object), minInterval: 0 },
      series: [{ name: "bytes moved", type: "bar", barMaxWidth: 28, itemStyle: { color: CHART_COLORS.accent }, data: days.map((d) => Math.round((d.bytes / GiB) * 100) / 100) }],
    },
    SIZE,
  );
  return (
    <ChartFigure
      id="bytes"
      title="Bytes moved per day"
      description={`Virtual size of the disks written by successful runs: ${formatBytes(total)} in all.`}
      svg={svg}
      empty={total === 0 ? "No disk was written in this period." : null}
      table={{ columns: ["Day", "Bytes moved"], rows: days.map((d) => [d.day, formatBytes(d.bytes)]) }}
    />
  );
}
