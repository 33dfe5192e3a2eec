// Agents and their load: running conversions against their concurrency, and whether they are heard from.
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { Progress } from "@/components/ui/progress";
import type { AgentListItem } from "@/server/agents/list-agents";

const TONE = { connected: "success", late: "warning", silent: "danger" } as const;

export function AgentsLoad({ agents }: { agents: AgentListItem[] }) {
  const running = agents.reduce((n, a) => n + a.running.length, 0);
  const slots = agents.filter((a) => a.state !== "silent").reduce((n, a) => n + a.concurrency, 0);
  return (
    <Card data-section="agents">
      <CardHeader title="Agents" description={`${running} running on ${slots} slots of the agents heard from.`} actions={<Link href="/agents" className="text-sm text-accent-fg hover:underline">Agents page</Link>} />
      {agents.length === 0 ? (
        <p className="px-5 py-8 text-center text-sm text-fg-muted">No agent has registered.</p>
      ) : (
        <ul className="divide-y divide-line">
          {agents.map((a) => (
            <li key={a.id} className="grid grid-cols-[1fr_auto] items-center gap-3 px-4 py-3 sm:px-5" data-agent={a.name}>
              <div className="min-w-0 space-y-1.5">
                <p className="flex items-center gap-2 text-sm">
                  <span className="font-medium text-fg">{a.name}</span>
                  <Badge tone={TONE[a.state]} dot>{a.state}</Badge>
                </p>
                <Progress value={a.running.length} max={Math.max(1, a.concurrency)} label={`${a.name} load`} valueText={`${a.running.length} of ${a.concurrency}`} tone={a.running.length >= a.concurrency ? "warning" : "accent"} />
              </div>
              <span className="text-sm tabular-nums text-fg-muted">{a.running.length} / {a.concurrency}</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
