// The newest progress event of a conversion: a bar, with bytes (or items) done of total.
import { formatBytes } from "@/components/software/format";
import { Progress } from "@/components/ui/progress";
import type { ConversionProgress } from "@/server/conversions/conversion-row";

export function progressText(p: ConversionProgress): string {
  const amount = p.unit === "bytes" || p.unit === "B" ? `${formatBytes(p.done)} of ${formatBytes(p.total)}` : `${p.done} of ${p.total}${p.unit ? ` ${p.unit}` : ""}`;
  const pct = p.total > 0 ? ` (${Math.floor((p.done / p.total) * 100)}%)` : "";
  return `${p.stage}${p.item ? ` ${p.item}` : ""}: ${amount}${pct}`;
}

export function ProgressLine({ progress, compact = false }: { progress: ConversionProgress | null; compact?: boolean }) {
  if (!progress) return <Progress label="Waiting for the first progress report" className={compact ? "w-32" : undefined} />;
  const text = progressText(progress);
  return (
    <div className={compact ? "w-40 space-y-1" : "space-y-1.5"}>
      <Progress value={progress.total > 0 ? progress.done : null} max={progress.total || 1} label={`${progress.stage} progress`} valueText={text} />
      <p className={compact ? "truncate text-xs text-fg-muted" : "text-sm text-fg-muted tabular-nums"}>{text}</p>
    </div>
  );
}
