// The console's home: what is running now, the agents and their load, and the last weeks in
// charts (aggregated in Postgres, drawn on the server).
import type { Metadata } from "next";
import { AutoRefresh } from "@/components/conversions/auto-refresh";
import { AgentsLoad } from "@/components/dashboard/agents-load";
import { BytesChart, DurationChart, OutcomesChart } from "@/components/dashboard/daily-charts";
import { FailureGroups } from "@/components/dashboard/failure-groups";
import { RunningNow } from "@/components/dashboard/running-now";
import { PageHeader } from "@/components/ui/page-header";
import { listAgents } from "@/server/agents/list-agents";
import { loadDashboard } from "@/server/conversions/dashboard";
import { db } from "@/server/db/client";
import { pageActor } from "@/server/http/page-guard";

export const metadata: Metadata = { title: "Dashboard" };

const DAYS = 14;

export default async function DashboardPage() {
  await pageActor("conversion:read");
  const [data, agents] = await Promise.all([loadDashboard(db(), { days: DAYS }), listAgents(db())]);
  return (
    <div className="space-y-6">
      <AutoRefresh active={data.running.total > 0 || data.queued > 0} intervalMs={5000} />
      <PageHeader title="Dashboard" description={`What is running now, the agents and their load, and the last ${DAYS} days of conversions.`} />
      <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
        <RunningNow items={data.running.items} total={data.running.total} queued={data.queued} />
        <AgentsLoad agents={agents} />
      </div>
      <OutcomesChart days={data.days} />
      <div className="grid gap-6 xl:grid-cols-2">
        <DurationChart days={data.days} />
        <BytesChart days={data.days} />
      </div>
      <FailureGroups groups={data.failures} days={DAYS} />
    </div>
  );
}
