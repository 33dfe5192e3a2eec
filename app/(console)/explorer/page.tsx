import type { Metadata } from "next";
import Link from "next/link";
import { CopyLinkButton } from "@/components/explorer/copy-link-button";
import { DepTree } from "@/components/explorer/dep-tree";
import { ExplorerForm } from "@/components/explorer/explorer-form";
import { buildLadder } from "@/components/explorer/ladder";
import { LadderGrid } from "@/components/explorer/ladder-grid";
import { NearMissList } from "@/components/explorer/near-miss-list";
import { nearMisses, similarNames, type MissQuery } from "@/components/explorer/near-misses";
import { Presets } from "@/components/explorer/presets";
import { explorerHref, explorerQueryString, isAsked, toExplainInput, valuesFromParams, type SearchParams } from "@/components/explorer/query";
import { ShadowedList } from "@/components/explorer/shadowed-list";
import { WinnerCard } from "@/components/explorer/winner-card";
import { Alert } from "@/components/ui/alert";
import { Card, CardBody } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ExplorerIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { explainMatch, RUNG_TEXT, type ExplainResult } from "@/server/config/explain-match";
import { getStack } from "@/server/config/get-stack";
import { db } from "@/server/db/client";
import { isAppError } from "@/server/errors";
import { pageActor } from "@/server/http/page-guard";
import { presenceForLayer } from "@/server/software/presence-for-layer";

export const metadata: Metadata = { title: "Which rule wins?" };

const sortedNames = (list: readonly { name: string | undefined }[]) => [...new Set(list.flatMap((e) => (e.name ? [e.name] : [])))].sort();

export default async function Page({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await pageActor("config:read");
  const values = valuesFromParams(await searchParams);
  const stack = await getStack(db());
  const names = { app: sortedNames(stack.flatMap((s) => s.config.apps)), capability: sortedNames(stack.flatMap((s) => s.config.capabilities)) };

  let result: ExplainResult | undefined;
  let invalid: { message: string; fieldErrors: Record<string, string[]> } | undefined;
  if (isAsked(values)) {
    try {
      result = await explainMatch(db(), toExplainInput(values), { presence: presenceForLayer(db()) });
    } catch (e) {
      if (!isAppError(e) || e.code !== "INVALID_INPUT") throw e;
      invalid = { message: "Some fields need attention: see the messages below.", fieldErrors: e.fieldErrors ?? {} };
    }
  }

  const input = toExplainInput(values);
  const query: MissQuery = { kind: values.kind, name: input.name, os: input.os, distro: input.distro, major: input.major, minor: input.minor, arch: input.arch };
  const misses = result
    ? nearMisses(
        stack.map((s) => ({ layerId: s.layerId, layerName: s.name, elements: values.kind === "app" ? s.config.apps : s.config.capabilities })),
        query,
      )
    : [];
  const href = explorerHref(values);

  return (
    <div className="space-y-6">
      <PageHeader
        eyebrow="Explorer"
        title="Which rule wins?"
        description="Ask the way virt-v2v asks: an app or capability name and what inspection found in the guest. The answer is the element virt-v2v would use, where it sits in the layers and on the matching ladder, what it shadows and, for a capability, everything it pulls in."
      />

      <Card>
        <CardBody className="space-y-5">
          <ExplorerForm key={explorerQueryString(values)} values={values} fieldErrors={invalid?.fieldErrors} names={names} />
          <div className="border-t border-line pt-4">
            <Presets current={values} />
          </div>
        </CardBody>
      </Card>

      {invalid ? <Alert tone="danger">{invalid.message}</Alert> : null}

      {result ? (
        <section aria-label="Answer" className="space-y-6">
          <div className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-line bg-surface-subtle px-3 py-2">
            <p className="min-w-0 text-sm text-fg-muted">
              virt-v2v searches{" "}
              <code className="font-mono text-[0.8125rem] break-all text-fg" data-testid="search-text">
                {result.search}
              </code>{" "}
              across {result.layers.length} {result.layers.length === 1 ? "layer" : "layers"}
              {values.kind === "capability" && values.arch ? " (capabilities without arch)" : ""}
            </p>
            <CopyLinkButton href={href} />
          </div>

          {result.found ? (
            <>
              <WinnerCard result={result} query={query} layersWithRepository={new Set(stack.flatMap((s) => (s.repositoryId ? [s.layerId] : [])))} />
              <LadderGrid ladder={buildLadder(result, query)} rungText={RUNG_TEXT} found />
              {result.kind === "capability" || result.tree.length ? <DepTree kind={result.kind} name={values.name} tree={result.tree} /> : null}
              <ShadowedList result={result} />
              {misses.length ? (
                <details className="group rounded-lg">
                  <summary className="cursor-pointer text-sm font-medium text-accent-fg hover:underline">
                    {misses.length} other {values.kind === "app" ? (misses.length === 1 ? "app" : "apps") : misses.length === 1 ? "capability" : "capabilities"} named {values.name} that do not match this guest
                  </summary>
                  <div className="mt-3">
                    <NearMissList kind={values.kind} name={values.name} misses={misses} title="Not matching this guest" />
                  </div>
                </details>
              ) : null}
            </>
          ) : (
            <>
              <Alert tone="danger" title="No match" className="px-4 py-4 text-base">
                <p className="font-mono text-[0.9375rem] font-medium break-words" data-testid="no-match-message">
                  {result.message}
                </p>
                <p className="mt-2 text-sm text-fg-muted">
                  virt-v2v stops here with this message{values.kind === "capability" ? " as a warning, and converts the guest without the capability (for virtio: IDE disks and an e1000 NIC)" : ""}.
                </p>
              </Alert>
              <NoMatchHints kind={values.kind} name={values.name} misses={misses} similar={similarNames(values.kind === "app" ? names.app : names.capability, values.name).map((n) => ({ name: n, href: explorerHref({ ...values, name: n }) }))} />
              <LadderGrid ladder={buildLadder(result, query)} rungText={RUNG_TEXT} found={false} />
            </>
          )}
        </section>
      ) : invalid ? null : (
        <EmptyState
          icon={<ExplorerIcon />}
          title="Ask about a guest"
          description={
            <>
              Pick a common guest above, or fill in the form. Layers are searched first to last like repeated <code className="font-mono">-f</code> options; inside each one the eight rungs go from the most specific (distro, major, minor and arch) to name and os alone, and an attribute a rung does not compare must be absent from the element.
            </>
          }
        />
      )}
    </div>
  );
}

function NoMatchHints({ kind, name, misses, similar }: { kind: "app" | "capability"; name: string; misses: Parameters<typeof NearMissList>[0]["misses"]; similar: { name: string; href: string }[] }) {
  if (misses.length) return <NearMissList kind={kind} name={name} misses={misses} title="Nearest candidates" />;
  return (
    <Card>
      <CardBody className="text-sm text-fg-muted">
        No layer has {kind === "app" ? "an app" : "a capability"} named <code className="font-mono text-fg">{name}</code> at all.
        {similar.length ? (
          <>
            {" "}
            Did you mean{" "}
            {similar.map((s, i) => (
              <span key={s.name}>
                {i ? (i === similar.length - 1 ? " or " : ", ") : ""}
                <Link href={s.href} className="font-mono font-medium text-accent-fg hover:underline">
                  {s.name}
                </Link>
              </span>
            ))}
            ?
          </>
        ) : null}
      </CardBody>
    </Card>
  );
}
