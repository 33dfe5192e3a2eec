// What changed, per kind (added, changed before → after, removed, moved) and in settings:
// used by the import preview and by History. No hooks: renders on the server or in the browser.
import type { KindDiff, ModelDiff } from "@/server/config/diff-models";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { KIND_TITLES, elementText, type ElementKindName } from "./element-text";

const KINDS: ElementKindName[] = ["profile", "network", "capability", "app"];
const SETTING: Record<string, string> = { pathRoot: "Path root", isoPath: "ISO path" };

export function countsText(c: ModelDiff["counts"]): string {
  return `${c.added} added, ${c.changed} changed, ${c.removed} removed${c.moved ? `, ${c.moved} moved` : ""}`;
}

export function DiffCounts({ diff }: { diff: ModelDiff }) {
  const c = diff.counts;
  return (
    <span className="flex flex-wrap gap-1.5" aria-label={countsText(c)}>
      <Badge tone={c.added ? "success" : "neutral"}>{c.added} added</Badge>
      <Badge tone={c.changed ? "warning" : "neutral"}>{c.changed} changed</Badge>
      <Badge tone={c.removed ? "danger" : "neutral"}>{c.removed} removed</Badge>
      {c.moved ? <Badge tone="info">{c.moved} moved</Badge> : null}
    </span>
  );
}

function Line({ sign, tone, children }: { sign: string; tone: "added" | "removed" | "changed" | "moved"; children: React.ReactNode }) {
  const colour = { added: "text-success-fg", removed: "text-danger-fg", changed: "text-warning-fg", moved: "text-info-fg" }[tone];
  return (
    <li className="flex gap-2">
      <span aria-hidden="true" className={cn("w-3 shrink-0 text-center font-mono font-semibold", colour)}>
        {sign}
      </span>
      <div className="min-w-0 flex-1">{children}</div>
    </li>
  );
}

function KindSection({ kind, d }: { kind: ElementKindName; d: KindDiff<unknown> }) {
  if (d.added.length + d.changed.length + d.removed.length + d.moved.length === 0) return null;
  return (
    <div>
      <h4 className="mb-1.5 text-xs font-semibold tracking-wide text-fg-muted uppercase">{KIND_TITLES[kind].many}</h4>
      <ul className="space-y-1.5 text-sm">
        {d.added.map((a) => (
          <Line key={`a${a.key}`} sign="+" tone="added">
            <span className="font-medium">Added {KIND_TITLES[kind].one} {a.label}</span> <span className="text-fg-muted">at position {a.index + 1}</span>
            <div className="font-mono text-xs break-words text-fg-muted">{elementText(kind, a.after)}</div>
          </Line>
        ))}
        {d.changed.map((c) => (
          <Line key={`c${c.key}`} sign="~" tone="changed">
            <span className="font-medium">Changed {KIND_TITLES[kind].one} {c.label}</span>
            <div className="mt-0.5 grid gap-0.5 font-mono text-xs break-words">
              <span className="text-danger-fg">
                <span className="sr-only">before: </span>− {elementText(kind, c.before)}
              </span>
              <span className="text-success-fg">
                <span className="sr-only">after: </span>+ {elementText(kind, c.after)}
              </span>
            </div>
          </Line>
        ))}
        {d.removed.map((r) => (
          <Line key={`r${r.key}`} sign="−" tone="removed">
            <span className="font-medium">Removed {KIND_TITLES[kind].one} {r.label}</span>
            <div className="font-mono text-xs break-words text-fg-muted">{elementText(kind, r.before)}</div>
          </Line>
        ))}
        {d.moved.map((m) => (
          <Line key={`m${m.key}`} sign="↕" tone="moved">
            <span className="font-medium">Moved {KIND_TITLES[kind].one} {m.label}</span>{" "}
            <span className="text-fg-muted">
              from position {m.from + 1} to {m.to + 1} (it is now tried {m.to < m.from ? "earlier" : "later"})
            </span>
          </Line>
        ))}
      </ul>
    </div>
  );
}

export function DiffSummary({ diff, empty = "No changes." }: { diff: ModelDiff; empty?: string }) {
  const c = diff.counts;
  if (c.added + c.changed + c.removed + c.moved === 0) return <p className="text-sm text-fg-muted">{empty}</p>;
  return (
    <div className="space-y-4">
      {KINDS.map((k) => (
        <KindSection key={k} kind={k} d={diff[KIND_TITLES[k].list] as KindDiff<unknown>} />
      ))}
      {diff.settings.length ? (
        <div>
          <h4 className="mb-1.5 text-xs font-semibold tracking-wide text-fg-muted uppercase">Settings</h4>
          <ul className="space-y-1.5 text-sm">
            {diff.settings.map((s) => (
              <Line key={s.field} sign="~" tone="changed">
                <span className="font-medium">{SETTING[s.field] ?? s.field}</span>: <span className="font-mono text-xs">{s.before ?? "(none)"}</span> →{" "}
                <span className="font-mono text-xs">{s.after ?? "(none)"}</span>
              </Line>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

/** A unified diff with its added and removed lines coloured. */
export function UnifiedDiff({ text, label }: { text: string; label: string }) {
  const lines = text.replace(/\n$/, "").split("\n");
  return (
    <pre aria-label={label} className="max-h-[32rem] overflow-auto rounded-md border border-line bg-surface-subtle py-2 font-mono text-xs leading-5">
      {lines.map((line, i) => {
        const kind = line.startsWith("+++") || line.startsWith("---") ? "file" : line.startsWith("@@") ? "hunk" : line[0];
        return (
          <div
            key={i}
            className={cn(
              "px-3 whitespace-pre-wrap break-all",
              kind === "+" && "bg-success-soft text-success-fg",
              kind === "-" && "bg-danger-soft text-danger-fg",
              kind === "hunk" && "text-info-fg",
              kind === "file" && "font-semibold text-fg-muted",
            )}
          >
            {line || " "}
          </div>
        );
      })}
    </pre>
  );
}
