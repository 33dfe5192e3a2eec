import type { Metadata } from "next";
import { formatBytes } from "@/components/software/format";
import { RevokeTokenForm } from "@/components/tokens/revoke-token-form";
import { LastUsed, TokenCards, TokenRow } from "@/components/tokens/token-cards";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DescriptionItem, DescriptionList } from "@/components/ui/description-list";
import { EmptyState } from "@/components/ui/empty-state";
import { AgentsIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { TD } from "@/components/ui/table";
import { listAgents, listBlockedConversions, type AgentListItem } from "@/server/agents/list-agents";
import { listAgentTokens } from "@/server/agents/tokens";
import { can } from "@/server/auth/roles";
import { db } from "@/server/db/client";
import { pageActor } from "@/server/http/page-guard";
import { revokeAgentTokenAction } from "./actions";
import { AutoRefresh } from "./auto-refresh";
import { CreateAgentTokenForm } from "./create-token-form";
import { RetireAgentForm } from "./retire-agent-form";

export const metadata: Metadata = { title: "Agents" };
export const dynamic = "force-dynamic";

const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

function StateBadge({ agent }: { agent: AgentListItem }) {
  if (agent.state === "connected") return <Badge tone="success" dot>connected</Badge>;
  const silent = agent.silentSeconds === null ? "never sent a heartbeat" : `silent for ${agent.silentSeconds} s`;
  return <Badge tone={agent.state === "late" ? "warning" : "danger"} dot>{silent}</Badge>;
}

function percent(progress: unknown): string {
  const p = progress as { stage?: string; done?: number; total?: number } | null;
  if (!p || !p.total) return "starting";
  return `${p.stage ?? ""} ${Math.floor(((p.done ?? 0) / p.total) * 100)}%`;
}

function AgentCard({ agent, manage }: { agent: AgentListItem; manage: boolean }) {
  const caps = agent.capabilities;
  const libvirt = caps?.libvirt;
  return (
    <Card aria-label={`Agent ${agent.name}`}>
      <CardHeader
        title={agent.name}
        description={`${agent.kind === "embedded" ? "Embedded in the console" : `Remote, token ${agent.tokenName ?? "(deleted)"}`} · ${agent.hostname} · Ferry ${agent.version}`}
        actions={
          <>
            <StateBadge agent={agent} />
            {/* Only an agent that is not answering may be retired: a live one would just be refused. */}
            {manage && agent.state === "silent" ? <RetireAgentForm id={agent.id} name={agent.name} /> : null}
          </>
        }
      />
      <CardBody>
        <DescriptionList>
          <DescriptionItem term="Last heartbeat">
            {agent.lastHeartbeatAt ? `${when.format(agent.lastHeartbeatAt)} UTC (${agent.silentSeconds} s ago)` : "never"}
          </DescriptionItem>
          <DescriptionItem term="Concurrency">{`${agent.running.length} of ${agent.concurrency} running`}</DescriptionItem>
          <DescriptionItem term="Scratch space">
            {caps ? `${caps.scratch.dir}: ${caps.scratch.freeBytes === null ? "free space unknown" : `${formatBytes(caps.scratch.freeBytes)} free`}` : "not reported"}
          </DescriptionItem>
          <DescriptionItem term="libvirt">
            {!libvirt ? (
              "not reported"
            ) : libvirt.error ? (
              <span className="text-danger-fg">{libvirt.error}</span>
            ) : (
              <span>
                {libvirt.uri}: pools {libvirt.pools.map((p) => p.name + (p.active === false ? " (inactive)" : "")).join(", ") || "none"}; networks {libvirt.networks.join(", ") || "none"}
              </span>
            )}
            {libvirt ? <span className="block text-fg-muted">host bridges: {libvirt.bridges.join(", ") || "none"}</span> : null}
          </DescriptionItem>
          <DescriptionItem term="Tools">
            <ul className="space-y-0.5" aria-label={`Tools of ${agent.name}`}>
              {(caps?.tools ?? []).map((t) => (
                <li key={t.name} className="flex flex-wrap items-center gap-2">
                  <code className="font-mono text-xs">{t.name}</code>
                  {t.found ? <span className="text-fg-muted">{t.version ?? "version unknown"}</span> : <Badge tone="danger">missing: Debian package {t.package}</Badge>}
                </li>
              ))}
            </ul>
          </DescriptionItem>
          <DescriptionItem term="Running">
            {agent.running.length === 0 ? (
              <span className="text-fg-muted">nothing</span>
            ) : (
              <ul>
                {agent.running.map((c) => (
                  <li key={c.id}>
                    <a className="underline" href={`/conversions/${c.id}`}>
                      #{c.number} {c.guestName}
                    </a>{" "}
                    attempt {c.attempt}, {percent(c.progress)}
                    {c.cancelRequested ? " (cancelling)" : ""}
                  </li>
                ))}
              </ul>
            )}
          </DescriptionItem>
        </DescriptionList>
      </CardBody>
    </Card>
  );
}

export default async function Page() {
  const actor = await pageActor("agent:read");
  const manage = can(actor.role, "agent:manage");
  const [agents, blocked, tokens] = await Promise.all([listAgents(db()), listBlockedConversions(db()), manage ? listAgentTokens(db()) : Promise.resolve([])]);
  const consoleUrl = process.env.FERRY_PUBLIC_URL ?? "http://CONSOLE:3000";
  return (
    <div className="space-y-6">
      <AutoRefresh seconds={5} />
      <PageHeader title="Agents" description="The hosts that run conversions with the real tools: qemu-img, virt-v2v, libguestfs, libvirt." />
      {blocked.length > 0 ? (
        <Card>
          <CardHeader title="Waiting for an agent" description="Queued conversions that no connected agent can run, and why." />
          <CardBody>
            <ul className="space-y-1 text-sm">
              {blocked.map((b) => (
                <li key={b.id}>
                  <span className="font-medium">
                    #{b.number} {b.guestName}
                  </span>
                  : {b.reason}
                </li>
              ))}
            </ul>
          </CardBody>
        </Card>
      ) : null}
      {agents.length === 0 ? (
        <EmptyState
          icon={<AgentsIcon />}
          title="No agents connected"
          description={<>The console runs an embedded agent unless FERRY_EMBEDDED_AGENT=0; conversion hosts join with an agent token and <code>ferry agent --server URL --token TOKEN</code>.</>}
        />
      ) : (
        <div className="grid items-start gap-6 xl:grid-cols-2">
          {agents.map((a) => (
            <AgentCard key={a.id} agent={a} manage={manage} />
          ))}
        </div>
      )}
      {manage ? (
        <TokenCards
          title="Agent tokens"
          description="A remote agent presents one as a Bearer token. Only its first characters are kept; revoking it refuses its agents at once."
          caption="Agent tokens"
          columns={["Created (UTC)", "Last used (UTC)", "Agents"]}
          rows={tokens.map((t) => (
            <TokenRow key={t.id} name={t.name} prefix={t.prefix} status={<RevokeTokenForm action={revokeAgentTokenAction} id={t.id} name={t.name} revoked={t.revokedAt ? when.format(t.revokedAt) : null} />}>
              <TD>
                {when.format(t.createdAt)} by {t.createdByEmail}
              </TD>
              <TD>
                <LastUsed at={t.lastUsedAt ? when.format(t.lastUsedAt) : null} />
              </TD>
              <TD>{t.agents.join(", ") || <span className="text-fg-subtle">none</span>}</TD>
            </TokenRow>
          ))}
          newTitle="New agent token"
          form={<CreateAgentTokenForm consoleUrl={consoleUrl} />}
        />
      ) : null}
    </div>
  );
}
