import { Alert } from "@/components/ui/alert";

/** The shape server actions return to useActionState. */
export type FormResult = {
  ok: boolean;
  message?: string;
  fieldErrors?: Record<string, string[] | undefined>;
};

export type FormMessageProps = {
  state?: FormResult | null;
  className?: string;
};

/**
 * The form-level outcome of an action: an error (role=alert) or a success note.
 * Per-field errors belong to each Field (error={state?.fieldErrors?.name}); when only those came
 * back, this says so once, at the top.
 */
export function FormMessage({ state, className }: FormMessageProps) {
  let content = null;
  if (state && !state.ok) {
    const hasFieldErrors = Object.values(state.fieldErrors ?? {}).some((list) => (list?.length ?? 0) > 0);
    const message = state.message ?? (hasFieldErrors ? "Some fields need attention: see the messages below." : null);
    if (message) content = <Alert tone="danger">{message}</Alert>;
  } else if (state?.ok && state.message) {
    content = <Alert tone="success">{state.message}</Alert>;
  }
  return (
    <div aria-live="polite" className={content ? className : undefined}>
      {content}
    </div>
  );
}
