// Every revision of the layer, newest first, and what the chosen one changed against the one
// before it: element by element and as the unified diff of the exported virt-v2v.conf.
import Link from "next/link";
import { DiffCounts, DiffSummary, UnifiedDiff } from "@/components/config/diff-view";
import { Section } from "@/components/config/section";
import { Badge } from "@/components/ui/badge";
import { CardBody } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { DownloadIcon } from "@/components/ui/icons";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { RevisionDiff } from "@/server/config/diff-revisions";
import type { RevisionSummary } from "@/server/config/list-revisions";
import { RestoreForm } from "./restore-form";

const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

type Props = { layerId: string; revision: number; revisions: RevisionSummary[]; diff: RevisionDiff | null; canRestore: boolean };

export function HistorySection({ layerId, revision, revisions, diff, canRestore }: Props) {
  return (
    <Section id="history" title={`History (${revision} ${revision === 1 ? "revision" : "revisions"})`} description="Every change is a new revision; restoring an old one adds a new revision too, so nothing is rewritten.">
      <Table framed={false} caption="Revisions, newest first">
        <THead>
          <TR>
            <TH>Revision</TH>
            <TH>Author</TH>
            <TH>When (UTC)</TH>
            <TH>Summary</TH>
            <TH className="text-right"><span className="sr-only">Actions</span></TH>
          </TR>
        </THead>
        <TBody>
          {revisions.map((r) => {
            const selected = diff?.to === r.number;
            return (
              <TR key={r.number} className={cn(selected && "bg-accent-soft/60")} aria-current={selected ? "true" : undefined}>
                <TD>
                  <span className="flex items-center gap-2">
                    <span className="font-medium tabular-nums">{r.number}</span>
                    {r.isHead ? <Badge tone="accent">current</Badge> : null}
                  </span>
                </TD>
                <TD>{r.authorEmail || <span className="text-fg-subtle">system</span>}</TD>
                <TD>{when.format(r.createdAt)}</TD>
                <TD wrap>
                  {r.summary}
                  {r.restoredFrom !== null ? (
                    <Badge tone="info" className="ml-2">
                      restored from {r.restoredFrom}
                    </Badge>
                  ) : null}
                </TD>
                <TD className="text-right">
                  <span className="inline-flex items-center justify-end gap-2">
                    {selected ? (
                      <span className="text-xs font-medium text-accent-fg">shown below</span>
                    ) : (
                      <Link href={`?revision=${r.number}#history`} scroll={false} className="text-[0.8125rem] font-medium text-accent-fg hover:underline" aria-label={`Show changes in revision ${r.number}`}>
                        Show changes
                      </Link>
                    )}
                    {canRestore && !r.isHead ? <RestoreForm layerId={layerId} revision={revision} number={r.number} /> : null}
                  </span>
                </TD>
              </TR>
            );
          })}
        </TBody>
      </Table>
      {diff ? (
        <CardBody className="space-y-4 border-t border-line" aria-label={`Changes in revision ${diff.to}`}>
          <div className="flex flex-wrap items-center justify-between gap-3">
            <div>
              <h3 className="text-sm font-semibold text-fg">
                Revision {diff.to} compared with {diff.from === 0 ? "an empty layer" : `revision ${diff.from}`}
              </h3>
              <a href={`/api/config/layers/${layerId}/export?revision=${diff.to}`} className="inline-flex items-center gap-1 text-xs text-accent-fg hover:underline">
                <DownloadIcon className="size-3.5" /> Download revision {diff.to}
              </a>
            </div>
            <DiffCounts diff={diff.diff} />
          </div>
          <DiffSummary diff={diff.diff} />
          {diff.text.trim() ? <UnifiedDiff text={diff.text} label={`Unified diff of revision ${diff.from} and ${diff.to}`} /> : null}
        </CardBody>
      ) : null}
    </Section>
  );
}
