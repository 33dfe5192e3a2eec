import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AutoRefresh } from "@/components/conversions/auto-refresh";
import { formatWhen } from "@/components/conversions/format";
import { LogView } from "@/components/conversions/log-view";
import { readablePlan } from "@/components/conversions/plan-shape";
import { PlanView } from "@/components/conversions/plan-view";
import { ProgressLine } from "@/components/conversions/progress-line";
import { DryRunBadge, StatusBadge } from "@/components/conversions/status-badge";
import { Alert } from "@/components/ui/alert";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Code } from "@/components/ui/code";
import { DescriptionItem, DescriptionList } from "@/components/ui/description-list";
import { ArrowLeftIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import type { Actor } from "@/server/auth/actor";
import { can, type TPermission } from "@/server/auth/roles";
import { getConversion, type ConversionDetail, type LogWindow } from "@/server/conversions/get-conversion";
import { ACTIVE_STATUSES, allowedActions, type ConversionAction } from "@/server/conversions/status";
import { db } from "@/server/db/client";
import { isAppError } from "@/server/errors";
import { pageActor } from "@/server/http/page-guard";
import { ConversionActions } from "./conversion-actions";

export const metadata: Metadata = { title: "Conversion" };

const PERMISSION: Record<ConversionAction, TPermission> = { start: "conversion:start", replan: "conversion:start", retry: "conversion:retry", cancel: "conversion:cancel" };

async function load(id: string, window: LogWindow): Promise<ConversionDetail> {
  try {
    return await getConversion(db(), id, window);
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

/** Other attempts' logs and earlier lines, by link (?attempt=N, ?before=SEQ). */
function LogNav({ c, id }: { c: ConversionDetail; id: string }) {
  const first = c.log.lines[0];
  const attempts = Array.from({ length: c.attempt }, (_, i) => i + 1);
  if (attempts.length < 2 && !c.log.hasEarlier) return null;
  return (
    <div className="flex flex-wrap items-center gap-2 text-[0.8125rem]">
      {attempts.length > 1 ? attempts.map((n) => (
        <Link key={n} href={`/conversions/${id}?attempt=${n}`} aria-current={n === c.log.attempt ? "true" : undefined} className={n === c.log.attempt ? "font-medium text-fg" : "text-accent-fg hover:underline"}>Attempt {n}</Link>
      )) : null}
      {c.log.hasEarlier && first ? <Link href={`/conversions/${id}?attempt=${c.log.attempt}&before=${first.seq}`} className="text-accent-fg hover:underline">Earlier lines</Link> : null}
    </div>
  );
}

const int = (v: string | string[] | undefined) => (typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined);

export default async function Page({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await pageActor("conversion:read");
  const { id } = await params;
  const search = await searchParams;
  const c = await load(id, { attempt: int(search.attempt), beforeSeq: int(search.before) });
  const active = (ACTIVE_STATUSES as readonly string[]).includes(c.status);
  return (
    <div className="space-y-6">
      <AutoRefresh active={active} />
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
      {c.status === "running" ? (
        <Card>
          <CardHeader title="Progress" />
          <CardBody><ProgressLine progress={c.progress} /></CardBody>
        </Card>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-2">
        <Timeline c={c} />
        <RequestCard c={c} />
      </div>
      <section aria-labelledby="plan-title" className="space-y-3">
        <h2 id="plan-title" className="text-base font-semibold text-fg">Plan</h2>
        <Plan plan={c.plan} active={active} />
      </section>
      <Card aria-labelledby="log-title">
        <CardHeader title={<span id="log-title">Log</span>} description={c.log.attempt ? `Attempt ${c.log.attempt}, newest at the bottom.` : undefined} actions={<LogNav c={c} id={c.id} />} />
        <LogView lines={c.log.lines} hasEarlier={c.log.hasEarlier} empty={active ? "No log lines yet: they appear when an agent starts." : "No log lines."} />
      </Card>
    </div>
  );
}
