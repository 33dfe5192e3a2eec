// Conversions running now, each with its newest progress.
import Link from "next/link";
import { ProgressLine } from "@/components/conversions/progress-line";
import { StatusBadge } from "@/components/conversions/status-badge";
import { Card, CardHeader } from "@/components/ui/card";
import type { ConversionSummary } from "@/server/conversions/list-conversions";
import { formatDuration } from "./format";

export function RunningNow({ items, total, queued }: { items: ConversionSummary[]; total: number; queued: number }) {
  return (
    <Card data-section="running">
      <CardHeader
        title={`Running now (${total})`}
        description={queued ? `${queued} more queued, waiting for an agent.` : "Nothing is waiting in the queue."}
        actions={total > items.length ? <Link href="/conversions?status=running" className="text-sm text-accent-fg hover:underline">All {total}</Link> : null}
      />
      {items.length === 0 ? (
        <p className="px-5 py-8 text-center text-sm text-fg-muted">No conversion is running.</p>
      ) : (
        <ul className="divide-y divide-line">
          {items.map((c) => (
            <li key={c.id} className="grid gap-2 px-4 py-3 sm:grid-cols-[1fr_auto] sm:items-center sm:px-5">
              <div className="min-w-0">
                <Link href={`/conversions/${c.id}`} className="font-medium text-fg hover:underline">#{c.number} {c.guestName}</Link>
                <p className="text-xs text-fg-muted">
                  {c.agent ?? "no agent"} · {formatDuration(c.durationMs)} · by {c.createdByEmail}
                </p>
              </div>
              <div className="flex items-center gap-3">
                <StatusBadge status={c.status} cancelRequested={c.cancelRequested} />
                <ProgressLine progress={c.progress} compact />
              </div>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
