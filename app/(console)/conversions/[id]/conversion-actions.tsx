"use client";
// The buttons a conversion offers now, for this role: Start (a planned dry run), Re-plan,
// Retry, Cancel. The server decides which are shown and refuses any other anyway.
import { useState } from "react";
import { ActionMessage } from "@/components/config/action-message";
import { useFormAction } from "@/components/config/use-form-action";
import { Button } from "@/components/ui/button";
import { RetryIcon } from "@/components/ui/icons";
import type { ActionState } from "@/server/http/form-action";
import type { ConversionAction } from "@/server/conversions/status";
import { conversionRowAction } from "../actions";

const LABEL: Record<ConversionAction, { text: string; pending: string; variant: "primary" | "secondary" | "danger"; title: string }> = {
  start: { text: "Start", pending: "Starting…", variant: "primary", title: "Run the conversion with the plan shown" },
  replan: { text: "Re-plan", pending: "Queuing…", variant: "secondary", title: "Plan again as a dry run (with the configuration as it is now)" },
  retry: { text: "Retry", pending: "Queuing…", variant: "primary", title: "Queue it again as a new attempt, reusing its plan" },
  cancel: { text: "Cancel", pending: "Cancelling…", variant: "danger", title: "Stop it: a queued one at once, a running one by its agent" },
};

export function ConversionActions({ id, actions }: { id: string; actions: ConversionAction[] }) {
  const [state, onSubmit, pending] = useFormAction<ActionState>(conversionRowAction, { ok: false });
  const [pressed, setPressed] = useState<ConversionAction | null>(null);
  // Kept while its outcome is shown, even when the change left no action to offer.
  if (actions.length === 0 && !state.message) return null;
  return (
    <form onSubmit={onSubmit} aria-label="Conversion actions" className="flex flex-col items-end gap-2">
      <input type="hidden" name="id" value={id} />
      <div className="flex flex-wrap gap-2">
        {actions.map((a) => (
          <Button key={a} type="submit" name="action" value={a} variant={LABEL[a].variant} title={LABEL[a].title} pending={pending && pressed === a} pendingLabel={LABEL[a].pending} disabled={pending} onClick={() => setPressed(a)}>
            {a === "retry" ? <RetryIcon /> : null}
            {LABEL[a].text}
          </Button>
        ))}
      </div>
      <ActionMessage state={state} className="max-w-md" />
    </form>
  );
}
