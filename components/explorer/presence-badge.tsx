// Whether an app's file is there: in the layer's software repository (present / missing), or an
// absolute path on the agent host that the console cannot see.
import { Badge } from "@/components/ui/badge";

export function PresenceBadge({ present }: { present: boolean | null }) {
  if (present === true) {
    return (
      <Badge tone="success" dot title="The file is in the layer's software repository.">
        present
      </Badge>
    );
  }
  if (present === false) {
    return (
      <Badge tone="danger" dot title="The layer's software repository does not have this file (or the layer has no repository): a conversion that needs it fails.">
        missing
      </Badge>
    );
  }
  return (
    <Badge tone="info" dot title="An absolute path: it is read on the agent host, which the console cannot see.">
      on agent host
    </Badge>
  );
}
