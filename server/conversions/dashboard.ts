// Everything the dashboard shows about conversions, in one call.
import type { Db } from "../db/client.ts";
import { dailyStats, utcDay, type DailyStats } from "./dashboard-daily.ts";
import { failureGroups, type FailureGroup } from "./dashboard-failures.ts";
import { listConversions, type ConversionSummary } from "./list-conversions.ts";

export type Dashboard = {
  running: { items: ConversionSummary[]; total: number };
  queued: number;
  days: DailyStats[];
  failures: FailureGroup[];
};

export async function loadDashboard(client: Db, opts: { days?: number; now?: Date } = {}): Promise<Dashboard> {
  const now = opts.now ?? new Date();
  const days = opts.days ?? 14;
  const since = new Date(Date.parse(`${utcDay(now)}T00:00:00Z`) - (days - 1) * 86_400_000);
  const [running, queued, daily, failures] = await Promise.all([
    listConversions(client, { status: ["running"], sort: "created", dir: "asc", pageSize: 10 }, now),
    client.conversion.count({ where: { status: "queued" } }),
    dailyStats(client, { days, now }),
    failureGroups(client, { since }),
  ]);
  return { running: { items: running.items, total: running.total }, queued, days: daily, failures };
}
