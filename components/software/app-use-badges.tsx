// Which apps point at a file: one badge per app, its full description on hover.
import { Badge } from "@/components/ui/badge";

export type AppUseView = { layerId: string; layerName: string; name: string | null; label: string };

export function AppUseBadges({ uses }: { uses: AppUseView[] }) {
  if (uses.length === 0) return <span className="text-fg-subtle">no app</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {uses.map((u, i) => (
        <Badge key={`${u.layerId}-${i}`} tone="info" title={u.label}>
          {u.name ?? "(unnamed)"} · {u.layerName}
        </Badge>
      ))}
    </span>
  );
}
