// Apache ECharts rendered on the server to an SVG string (its SSR mode): the dashboard's charts
// arrive as markup, need no JavaScript in the browser, and follow the theme because the colours
// are the console's CSS variables. (Recharts 3 renders an empty <div> on the server.)
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from "echarts/charts";
import { GridComponent, LegendComponent, type GridComponentOption, type LegendComponentOption } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, SVGRenderer]);

export type ChartOption = echarts.ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption>;

export const CHART_COLORS = {
  succeeded: "var(--color-success-solid)",
  failed: "var(--color-danger-solid)",
  cancelled: "var(--color-fg-subtle)",
  interrupted: "var(--color-warning-solid)",
  planned: "var(--color-info-solid)",
  accent: "var(--color-accent)",
  text: "var(--color-fg-muted)",
  grid: "var(--color-line)",
  axis: "var(--color-line-strong)",
} as const;

/** The console's look on every chart: muted text, hairline grid, no animation (nothing to animate on the server). */
const BASE: ChartOption = {
  animation: false,
  textStyle: { color: CHART_COLORS.text, fontFamily: "ui-sans-serif, system-ui, sans-serif", fontSize: 11 },
  grid: { left: 8, right: 12, top: 36, bottom: 8, containLabel: true },
};

export function renderChart(option: ChartOption, size: { width: number; height: number }): string {
  const chart = echarts.init(null, undefined, { renderer: "svg", ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({ ...BASE, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

export function categoryAxis(labels: string[]): ChartOption["xAxis"] {
  return { type: "category", data: labels, axisLine: { lineStyle: { color: CHART_COLORS.axis } }, axisTick: { show: false }, axisLabel: { color: CHART_COLORS.text } };
}

export function valueAxis(extra: { name?: string; formatter?: (v: number) => string } = {}): ChartOption["yAxis"] {
  return {
    type: "value",
    minInterval: 1,
    name: extra.name,
    nameTextStyle: { color: CHART_COLORS.text, align: "left" },
    splitLine: { lineStyle: { color: CHART_COLORS.grid } },
    axisLabel: { color: CHART_COLORS.text, ...(extra.formatter ? { formatter: extra.formatter } : {}) },
  };
}
