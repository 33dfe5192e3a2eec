// The winning element: where it is (layer, rung), why it matches (each attribute compared or
// required absent at that rung), and for an app the file it points at and whether it is there.
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { CheckIcon } from "@/components/ui/icons";
import type { ExplainResult, ResolvedApp } from "@/server/config/explain-match";
import type { MatchAttrs } from "@/server/v2v/model";
import { ATTRS, layerHref, openingTag, ordinal, type Attr } from "./element-attrs";
import { RUNG_ATTRS } from "./ladder";
import { PresenceBadge } from "./presence-badge";
import type { MissQuery } from "./near-misses";

type Found = Extract<ExplainResult, { found: true }>;

function compared(rung: keyof typeof RUNG_ATTRS): Set<Attr> {
  return new Set<Attr>(["name", "os", ...RUNG_ATTRS[rung]]);
}

function Absent() {
  return <span className="rounded border border-dashed border-line-strong px-1.5 py-px text-xs text-fg-subtle italic">absent</span>;
}

function Value({ v }: { v: string | undefined }) {
  return v === undefined ? <Absent /> : <code className="font-mono text-[0.8125rem] text-fg">{v}</code>;
}

/** The opening tag with the attributes the rung compared highlighted. */
export function ElementTag({ kind, element, rung }: { kind: "app" | "capability"; element: MatchAttrs; rung: keyof typeof RUNG_ATTRS }) {
  const used = compared(rung);
  return (
    <code className="block overflow-x-auto rounded-md border border-line bg-surface-subtle px-3 py-2 font-mono text-[0.8125rem] leading-6 break-words text-fg-muted">
      &lt;<span className="text-fg">{kind}</span>
      {openingTag(element).map(({ attr, value }) => (
        <span key={attr}>
          {" "}
          <span className={cn("rounded px-0.5", used.has(attr) ? "bg-accent-soft text-accent-fg ring-1 ring-accent-line ring-inset" : "text-fg-muted")}>
            {attr}=&apos;<span className={used.has(attr) ? "font-semibold" : "text-fg"}>{value}</span>&apos;
          </span>
        </span>
      ))}
      &gt;
    </code>
  );
}

function AttributeTable({ element, rung, query }: { element: MatchAttrs; rung: keyof typeof RUNG_ATTRS; query: MissQuery }) {
  const used = compared(rung);
  const guest: Record<Attr, string | undefined> = { name: query.name, os: query.os, distro: query.distro, major: query.major, minor: query.minor, arch: query.kind === "capability" ? undefined : query.arch };
  return (
    <table className="w-full text-sm">
      <caption className="sr-only">Why the winner matches, attribute by attribute</caption>
      <thead>
        <tr className="border-b border-line text-left text-xs text-fg-muted">
          <th scope="col" className="py-1.5 pr-3 font-medium">Attribute</th>
          <th scope="col" className="py-1.5 pr-3 font-medium">Element</th>
          <th scope="col" className="py-1.5 pr-3 font-medium">Guest</th>
          <th scope="col" className="py-1.5 font-medium">At rung {rung}</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-line">
        {ATTRS.map((a) => {
          const isUsed = used.has(a);
          const both = element[a] === undefined && guest[a] === undefined;
          return (
            <tr key={a} className={cn(isUsed && "bg-accent-soft/60")} data-compared={isUsed ? "true" : undefined}>
              <th scope="row" className={cn("py-1.5 pr-3 pl-2 text-left font-mono text-[0.8125rem] font-medium", isUsed ? "text-accent-fg" : "text-fg-muted")}>
                {a}
              </th>
              <td className="py-1.5 pr-3">
                <Value v={element[a]} />
              </td>
              <td className="py-1.5 pr-3">{guest[a] === undefined ? <span className="text-xs text-fg-subtle">none</span> : <code className="font-mono text-[0.8125rem] text-fg-muted">{guest[a]}</code>}</td>
              <td className="py-1.5 text-[0.8125rem]">
                <span className="inline-flex items-center gap-1.5">
                  <CheckIcon className="size-3.5 text-success-fg" />
                  {isUsed ? (both ? <span className="text-fg-muted">compared: absent on both</span> : <span className="font-medium text-fg">compared: equal</span>) : <span className="text-fg-muted">not compared: must be absent</span>}
                </span>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function AppFile({ app, hasRepository }: { app: ResolvedApp; hasRepository: boolean }) {
  const resolved = app.hostPath !== app.path;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="text-sm font-semibold text-fg">File</h3>
        <PresenceBadge present={app.present} />
      </div>
      <code className="block font-mono text-[0.8125rem] break-all text-fg" data-testid="winner-path">
        {app.hostPath}
      </code>
      {resolved ? (
        <p className="text-[0.8125rem] text-fg-muted">
          Written as <code className="font-mono">{app.path}</code>, resolved against {app.layerName}&apos;s path-root.
        </p>
      ) : (
        <p className="text-[0.8125rem] text-fg-muted">{app.path.startsWith("/") ? "An absolute path, read on the agent host." : "Relative, and the layer has no path-root."}</p>
      )}
      {app.present === false ? (
        <p className="text-[0.8125rem] text-danger-fg">
          {hasRepository ? (
            <>
              Not in {app.layerName}&apos;s software repository yet: upload it as <code className="font-mono">{app.path}</code> on the <Link href="/software" className="underline">Software</Link> page.
            </>
          ) : (
            <>{app.layerName} has no software repository bound, so the file has nowhere to come from: bind one on the layer&apos;s page and upload it there.</>
          )}
        </p>
      ) : null}
    </div>
  );
}

export function WinnerCard({ result, query, layersWithRepository }: { result: Found; query: MissQuery; layersWithRepository: ReadonlySet<string> }) {
  const w = result.winner;
  const deps = result.kind === "app" ? (w.element as { deps?: string[] }).deps ?? [] : [];
  return (
    <Card aria-labelledby="winner-title" className="overflow-hidden border-success-line">
      <div className="flex flex-col gap-3 border-b border-success-line bg-success-soft px-4 py-4 sm:flex-row sm:items-center sm:justify-between sm:px-5">
        <div className="flex min-w-0 items-center gap-3">
          <span aria-hidden="true" className="flex size-9 shrink-0 items-center justify-center rounded-full bg-success-solid text-white [&_svg]:size-5">
            <CheckIcon />
          </span>
          <div className="min-w-0">
            <p className="text-xs font-medium tracking-wide text-success-fg uppercase">Winner</p>
            <h2 id="winner-title" className="text-base font-semibold text-fg">
              {result.kind} <code className="font-mono">{w.element.name}</code> in{" "}
              <Link href={layerHref(w.layerId, result.kind === "app" ? "apps" : "capabilities")} className="text-accent-fg hover:underline">
                {w.layerName}
              </Link>
              , rung {w.rung}
            </h2>
          </div>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <Badge tone="accent">{w.layerName} · {ordinal(w.layerPosition)} layer searched</Badge>
          <Badge tone="success">rung {w.rung}</Badge>
          {result.app ? <PresenceBadge present={result.app.present} /> : null}
        </div>
      </div>
      <CardBody className="grid gap-6 lg:grid-cols-[minmax(0,1.25fr)_minmax(0,1fr)]">
        <div className="min-w-0 space-y-3">
          <ElementTag kind={result.kind} element={w.element} rung={w.rung} />
          <AttributeTable element={w.element} rung={w.rung} query={query} />
        </div>
        <div className="min-w-0 space-y-5">
          <div className="rounded-md border border-line bg-surface-subtle p-3">
            <p className="text-sm text-fg">
              <span className="font-semibold">Rung {w.rung}</span>: matched on {w.rungText}.
            </p>
            <p className="mt-1 text-[0.8125rem] text-fg-muted">
              The element&apos;s {w.rung === 8 ? "only attributes are name and os" : "highlighted attributes equal the guest's"}; every attribute the rung does not compare is absent from it, which is what lets it match a guest with any value there.
              {w.index > 0 ? ` It is element ${w.index + 1} of the layer's ${result.kind === "app" ? "apps" : "capabilities"}.` : null}
            </p>
          </div>
          {result.app ? <AppFile app={result.app} hasRepository={layersWithRepository.has(result.app.layerId)} /> : null}
          {result.kind === "app" ? (
            <div>
              <h3 className="text-sm font-semibold text-fg">Dependencies</h3>
              <p className="mt-1 text-[0.8125rem] text-fg-muted">
                {deps.length ? <>Installed with it: {deps.map((d, i) => <span key={d}>{i ? ", " : ""}<code className="font-mono text-fg">{d}</code></span>)} (resolved below).</> : "None."}
              </p>
            </div>
          ) : (
            <div>
              <h3 className="text-sm font-semibold text-fg">Dependencies</h3>
              <p className="mt-1 text-[0.8125rem] text-fg-muted">
                {result.tree.length ? `${result.tree.length} ${result.tree.length === 1 ? "package" : "packages"}, resolved below.` : "None: the guest already has this capability, nothing is installed."}
              </p>
            </div>
          )}
        </div>
      </CardBody>
    </Card>
  );
}
