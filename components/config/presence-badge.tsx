// Whether an app's file is there: in the layer's repository, missing from it, or an absolute
// path on the agent host (which the console cannot see; the agent checks before it starts).
import { Badge } from "@/components/ui/badge";

export type AppPresence = "present" | "missing" | "agent";

export function PresenceBadge({ presence }: { presence: AppPresence }) {
  if (presence === "present") return <Badge tone="success" dot>present</Badge>;
  if (presence === "missing") return <Badge tone="danger" dot>missing</Badge>;
  return (
    <Badge tone="neutral" title="An absolute path: the file is looked for on the agent host when a conversion runs.">
      on agent host
    </Badge>
  );
}
