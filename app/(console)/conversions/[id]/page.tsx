import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatWhen } from "@/components/conversions/format";
import { LiveConversion } from "@/components/conversions/live-conversion";
import { readablePlan } from "@/components/conversions/plan-shape";
import { PlanView } from "@/components/conversions/plan-view";
import { DryRunBadge, StatusBadge } from "@/components/conversions/status-badge";
import { Alert } from "@/components/ui/alert";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Code } from "@/components/ui/code";
import { DescriptionItem, DescriptionList } from "@/components/ui/description-list";
import { ArrowLeftIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import type { Actor } from "@/server/auth/actor";
import { can, type TPermission } from "@/server/auth/roles";
import { getConversion, type ConversionDetail } from "@/server/conversions/get-conversion";
import { ACTIVE_STATUSES, allowedActions, type ConversionAction } from "@/server/conversions/status";
import { db } from "@/server/db/client";
import { isAppError } from "@/server/errors";
import { pageActor } from "@/server/http/page-guard";
import { readLiveAgent } from "@/server/realtime/conversion-room";
import { readLogTail } from "@/server/realtime/log-store";
import { ConversionActions } from "./conversion-actions";

export const metadata: Metadata = { title: "Conversion" };

const PERMISSION: Record<ConversionAction, TPermission> = { start: "conversion:start", replan: "conversion:start", retry: "conversion:retry", cancel: "conversion:cancel" };

// The page renders the newest lines; the browser subscribes from the last of them.
const TAIL = 2000;

async function load(id: string): Promise<ConversionDetail> {
  try {
    return await getConversion(db(), id, { tail: 1 });
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  }
}

function Timeline({ c }: { c: ConversionDetail }) {
  return (
    <Card>
      <CardHeader title="Timeline" />
      <CardBody className="py-1">
        <DescriptionList>
          <DescriptionItem term="Created">{formatWhen(c.createdAt)} <span className="text-fg-muted">by {c.createdByEmail}</span></DescriptionItem>
          <DescriptionItem term="Started">{c.startedAt ? formatWhen(c.startedAt) : <span className="text-fg-subtle">{c.status === "queued" ? "waiting for an agent" : "not started"}</span>}</DescriptionItem>
          <DescriptionItem term="Finished">{c.finishedAt ? formatWhen(c.finishedAt) : <span className="text-fg-subtle">-</span>}</DescriptionItem>
          <DescriptionItem term="Agent">{c.agent ? <>{c.agent.name} <span className="text-fg-muted">({c.agent.kind}{c.agent.hostname ? `, ${c.agent.hostname}` : ""})</span></> : <span className="text-fg-subtle">none yet</span>}</DescriptionItem>
          <DescriptionItem term="Attempt">{c.attempt || <span className="text-fg-subtle">not claimed yet</span>}</DescriptionItem>
          {c.configRevisions?.length ? <DescriptionItem term="Configuration">{c.configRevisions.map((r) => `${r.file}${r.revision !== undefined ? ` r${r.revision}` : ""}`).join(", ")}</DescriptionItem> : null}
        </DescriptionList>
      </CardBody>
    </Card>
  );
}

function RequestCard({ c }: { c: ConversionDetail }) {
  const { source, output, network, bridge } = c.request;
  return (
    <Card>
      <CardHeader title="Request" description="What was asked, as virt-v2v options." />
      <CardBody className="py-1">
        <DescriptionList>
          <DescriptionItem term="Source">
            {source.method === "libvirtxml" ? (
              <>
                <Code>-i libvirtxml {source.fileName ?? "domain.xml"}</Code>
                {source.disks ? Object.entries(source.disks).map(([from, to]) => <span key={from} className="block text-[0.8125rem] text-fg-muted">{from} read from {to}</span>) : null}
              </>
            ) : (
              <Code>-i libvirt -ic {source.uri} {source.guest}</Code>
            )}
          </DescriptionItem>
          <DescriptionItem term="Output">
            <Code>
              -o {output.method}
              {output.uri ? ` -oc ${output.uri}` : ""}
              {output.storage ? ` -os ${output.storage}` : ""}
              {output.format ? ` -of ${output.format}` : ""}
              {output.allocation ? ` -oa ${output.allocation}` : ""}
              {output.name ? ` -on ${output.name}` : ""}
            </Code>
          </DescriptionItem>
          <DescriptionItem term="Profile">{c.profile ? <Code>-p {c.profile}</Code> : <span className="text-fg-subtle">none</span>}</DescriptionItem>
          <DescriptionItem term="Network mappings">{network?.length || bridge?.length ? [...(network ?? []).map((n) => `-n ${n}`), ...(bridge ?? []).map((b) => `-b ${b}`)].map((o) => <Code key={o} className="mr-1">{o}</Code>) : <span className="text-fg-subtle">none</span>}</DescriptionItem>
        </DescriptionList>
      </CardBody>
    </Card>
  );
}

function actionsFor(actor: Actor, c: ConversionDetail): ConversionAction[] {
  return allowedActions(c).filter((a) => can(actor.role, PERMISSION[a]));
}

function Plan({ plan, active }: { plan: unknown; active: boolean }) {
  if (plan === null) return <p className="text-sm text-fg-muted">{active ? "The plan appears here once an agent has read the source and planned the conversion." : "No plan was made."}</p>;
  if (readablePlan(plan)) return <PlanView plan={plan} />;
  return (
    <div className="space-y-2">
      <Alert tone="warning">This plan is in a format this console does not read; here it is as stored.</Alert>
      <pre className="max-h-96 overflow-auto rounded-lg border border-line bg-surface-subtle p-3 font-mono text-xs">{JSON.stringify(plan, null, 2)}</pre>
    </div>
  );
}

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const actor = await pageActor("conversion:read");
  const { id } = await params;
  const c = await load(id);
  const [log, agent] = await Promise.all([readLogTail(db(), c.id, TAIL), readLiveAgent(db(), c.agentId)]);
  const active = (ACTIVE_STATUSES as readonly string[]).includes(c.status);
  return (
    <div className="space-y-6">
      <PageHeader
        eyebrow={<Link href="/conversions" className="inline-flex items-center gap-1 hover:text-fg"><ArrowLeftIcon className="size-4" /> Conversions</Link>}
        title={`#${c.number} ${c.guestName}`}
        meta={<><StatusBadge status={c.status} cancelRequested={c.cancelRequested} />{c.dryRun ? <DryRunBadge /> : null}</>}
        description={c.dryRun ? "A dry run: it stops after the plan. Read the plan, then Start it to convert." : undefined}
        actions={<ConversionActions id={c.id} actions={actionsFor(actor, c)} />}
      />
      {c.status === "failed" && c.error ? <Alert tone="danger" title="The conversion failed">{c.error}{c.errorCode ? <span className="text-fg-muted"> ({c.errorCode})</span> : null}</Alert> : null}
      {c.status === "interrupted" ? <Alert tone="warning" title="Interrupted">{c.error ?? "Its agent stopped answering."} Retry queues it again.</Alert> : null}
      {c.status === "running" && c.cancelRequested ? <Alert tone="warning">Cancel requested: the agent is stopping the conversion and cleaning up what it created.</Alert> : null}
      <LiveConversion id={c.id} status={c.status} progress={c.progress} lines={log.lines} total={log.total} agent={agent}>
        <div className="grid gap-6 lg:grid-cols-2">
          <Timeline c={c} />
          <RequestCard c={c} />
        </div>
        <section aria-labelledby="plan-title" className="space-y-3">
          <h2 id="plan-title" className="text-base font-semibold text-fg">Plan</h2>
          <Plan plan={c.plan} active={active} />
        </section>
      </LiveConversion>
    </div>
  );
}
