// One-click questions for common guests: links, so they work without JavaScript and fill the
// form and answer at once.
import Link from "next/link";
import { cn } from "@/components/ui/cn";
import { explorerHref, PRESETS, sameValues, type ExplorerValues } from "./query";

export function Presets({ current }: { current: ExplorerValues }) {
  return (
    <nav aria-label="Common guests" className="space-y-2">
      <h2 className="text-xs font-medium tracking-wide text-fg-muted uppercase">Common guests</h2>
      <ul className="flex flex-wrap gap-2">
        {PRESETS.map((p) => {
          const active = sameValues(p.values, current);
          return (
            <li key={p.id}>
              <Link
                href={explorerHref(p.values)}
                scroll={false}
                aria-current={active ? "true" : undefined}
                className={cn(
                  "flex flex-col rounded-md border px-3 py-1.5 text-left transition-colors",
                  active ? "border-accent-line bg-accent-soft" : "border-line bg-surface hover:border-line-strong hover:bg-surface-muted",
                )}
              >
                <span className={cn("text-[0.8125rem] font-medium", active ? "text-accent-fg" : "text-fg")}>{p.label}</span>
                <span className="text-[0.6875rem] text-fg-muted">{p.detail}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
