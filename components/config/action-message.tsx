"use client";
// A configuration form's outcome. A refusal (a conflict with someone's newer revision, a layer
// deleted meanwhile) comes with a Reload link: the page then shows the layer as it is now.
import { Alert } from "@/components/ui/alert";

export type ActionResult = { ok: boolean; message?: string; fieldErrors?: Record<string, string[] | undefined>; warnings?: string[] };

export function hasFieldErrors(state: ActionResult): boolean {
  return Object.values(state.fieldErrors ?? {}).some((list) => (list?.length ?? 0) > 0);
}

export function ActionMessage({ state, className, showSuccess = true }: { state: ActionResult; className?: string; showSuccess?: boolean }) {
  let content = null;
  if (!state.ok && hasFieldErrors(state) && !state.message) {
    content = <Alert tone="danger">Some fields need attention: see the messages below.</Alert>;
  } else if (!state.ok && state.message) {
    content = hasFieldErrors(state) ? (
      <Alert tone="danger">
        <span className="whitespace-pre-line">{state.message}</span>
      </Alert>
    ) : (
      <Alert
        tone="danger"
        title="Not saved"
        action={
          <a href="" onClick={(e) => { e.preventDefault(); window.location.reload(); }} className="inline-flex h-8 items-center rounded-md border border-danger-line bg-surface px-2.5 text-[0.8125rem] font-medium text-fg hover:bg-surface-muted">
            Reload
          </a>
        }
      >
        <span className="whitespace-pre-line">{state.message}</span>
      </Alert>
    );
  } else if (state.ok && state.message && showSuccess) {
    content = (
      <Alert tone="success">
        {state.message}
        {state.warnings?.length ? (
          <ul className="mt-1 list-disc pl-5 text-warning-fg">
            {state.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        ) : null}
      </Alert>
    );
  }
  return (
    <div aria-live="polite" className={content ? className : undefined}>
      {content}
    </div>
  );
}
