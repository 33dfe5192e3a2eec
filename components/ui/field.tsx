import { cloneElement, isValidElement, type ReactElement, type ReactNode } from "react";
import { cn } from "./cn";
import { ErrorIcon } from "./icons";
import { Label } from "./label";

/** Props Field wires onto its control. */
export type FieldControlProps = {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
  required?: boolean;
};

export type FieldProps = {
  /** The control's id; the label, hint and error ids derive from it. */
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  /** A message, or the list a server action returned in fieldErrors[name]. */
  error?: string | readonly string[] | null;
  required?: boolean;
  /** Shows "Optional" next to the label. */
  optional?: boolean;
  className?: string;
  /** One control element (Input, Select, Textarea ...) or a function receiving the wiring props. */
  children: ReactElement<Record<string, unknown>> | ((control: FieldControlProps) => ReactNode);
};

/**
 * Label + control + hint + error. Sets id, aria-describedby and aria-invalid on the control,
 * so screen readers read the hint and the error with it.
 */
export function Field({ id, label, hint, error, required, optional, className, children }: FieldProps) {
  const errors = error == null ? [] : typeof error === "string" ? [error] : [...error];
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors.length > 0 ? `${id}-error` : undefined;
  const control: FieldControlProps = {
    id,
    "aria-describedby": [hintId, errorId].filter(Boolean).join(" ") || undefined,
    "aria-invalid": errorId ? true : undefined,
    required: required || undefined,
  };

  let rendered: ReactNode;
  if (typeof children === "function") {
    rendered = children(control);
  } else if (isValidElement(children)) {
    const own = children.props;
    rendered = cloneElement(children, {
      ...control,
      "aria-describedby":
        [own["aria-describedby"] as string | undefined, control["aria-describedby"]].filter(Boolean).join(" ") ||
        undefined,
      required: (own.required as boolean | undefined) ?? control.required,
    });
  }

  return (
    <div className={cn("space-y-1.5", className)}>
      <div className="flex items-baseline justify-between gap-3">
        <Label htmlFor={id} required={required}>
          {label}
        </Label>
        {optional && !required ? <span className="text-xs text-fg-subtle">Optional</span> : null}
      </div>
      {rendered}
      {hint ? (
        <p id={hintId} className="text-[0.8125rem] text-fg-muted">
          {hint}
        </p>
      ) : null}
      {errorId ? (
        <div id={errorId} className="flex items-start gap-1.5 text-[0.8125rem] font-medium text-danger-fg">
          <ErrorIcon className="mt-px size-4 shrink-0" />
          <div>
            {errors.map((message) => (
              <p key={message}>{message}</p>
            ))}
          </div>
        </div>
      ) : null}
    </div>
  );
}
