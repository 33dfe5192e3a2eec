// A conversion's status as a coloured badge; a running one pulses, a dry run says so.
import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { ConversionStatus } from "@/server/conversions/status";

const TONE: Record<ConversionStatus, BadgeTone> = {
  queued: "neutral",
  running: "info",
  planned: "accent",
  succeeded: "success",
  failed: "danger",
  cancelled: "warning",
  interrupted: "warning",
};

export function StatusBadge({ status, cancelRequested = false }: { status: ConversionStatus; cancelRequested?: boolean }) {
  if (status === "running" && cancelRequested) return <Badge tone="warning" pulse>cancelling</Badge>;
  return (
    <Badge tone={TONE[status]} dot pulse={status === "running"}>
      {status}
    </Badge>
  );
}

export function DryRunBadge() {
  return <Badge tone="neutral" title="Stops after the plan: nothing is copied or defined">dry run</Badge>;
}
