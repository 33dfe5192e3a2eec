// The dashboard's per-day figures, aggregated in Postgres: conversions ended per UTC day by
// outcome, the median duration of the runs that succeeded, and the bytes they moved (the
// virtual sizes of the disks written: the result's, else the plan's).
import type { Db } from "../db/client.ts";

export const OUTCOMES = ["succeeded", "failed", "cancelled", "interrupted", "planned"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type DailyStats = {
  /** YYYY-MM-DD (UTC). */
  day: string;
  counts: Record<Outcome, number>;
  /** Median seconds from start to finish of the real runs that succeeded that day; null with none. */
  medianSeconds: number | null;
  /** Sum of the virtual sizes of the disks written by that day's successful runs. */
  bytes: number;
};

type Row = { day: string; succeeded: number; failed: number; cancelled: number; interrupted: number; planned: number; median_s: number | null; bytes: string | null };

const DAY = 86_400_000;

export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The last `days` UTC days up to and including today's, oldest first, every day present. */
export async function dailyStats(client: Db, opts: { days?: number; now?: Date } = {}): Promise<DailyStats[]> {
  const days = Math.min(Math.max(opts.days ?? 14, 1), 366);
  const now = opts.now ?? new Date();
  const since = new Date(Date.parse(`${utcDay(now)}T00:00:00Z`) - (days - 1) * DAY);
  const rows = await client.$queryRaw<Row[]>`
    SELECT to_char(c.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
           count(*) FILTER (WHERE c.status = 'succeeded')::int AS succeeded,
           count(*) FILTER (WHERE c.status = 'failed')::int AS failed,
           count(*) FILTER (WHERE c.status = 'cancelled')::int AS cancelled,
           count(*) FILTER (WHERE c.status = 'interrupted')::int AS interrupted,
           count(*) FILTER (WHERE c.status = 'planned')::int AS planned,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.finished_at - c.started_at))
             FILTER (WHERE c.status = 'succeeded' AND NOT c.dry_run AND c.started_at IS NOT NULL) AS median_s,
           sum(b.bytes) FILTER (WHERE c.status = 'succeeded' AND NOT c.dry_run)::text AS bytes
    FROM conversions c
    CROSS JOIN LATERAL (
      SELECT coalesce(
        (SELECT sum((d->>'virtualSize')::numeric) FROM jsonb_array_elements(CASE WHEN jsonb_typeof(c.result->'disks') = 'array' THEN c.result->'disks' ELSE '[]'::jsonb END) d
           WHERE jsonb_typeof(d->'virtualSize') = 'number'),
        (SELECT sum((d->'source'->>'virtualSize')::numeric) FROM jsonb_array_elements(CASE WHEN jsonb_typeof(c.plan->'disks') = 'array' THEN c.plan->'disks' ELSE '[]'::jsonb END) d
           WHERE jsonb_typeof(d->'source'->'virtualSize') = 'number'),
        0) AS bytes
    ) b
    WHERE c.finished_at >= ${since}::timestamptz AND c.finished_at < ${new Date(since.getTime() + days * DAY)}::timestamptz
    GROUP BY 1`;
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const out: DailyStats[] = [];
  for (let i = 0; i < days; i++) {
    const day = utcDay(new Date(since.getTime() + i * DAY));
    const r = byDay.get(day);
    out.push({
      day,
      counts: { succeeded: r?.succeeded ?? 0, failed: r?.failed ?? 0, cancelled: r?.cancelled ?? 0, interrupted: r?.interrupted ?? 0, planned: r?.planned ?? 0 },
      medianSeconds: r?.median_s == null ? null : Number(r.median_s),
      bytes: r?.bytes ? Number(r.bytes) : 0,
    });
  }
  return out;
}
