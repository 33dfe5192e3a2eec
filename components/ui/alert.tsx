import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";
import { ErrorIcon, InfoIcon, SuccessIcon, WarningIcon } from "./icons";

export type AlertTone = "info" | "success" | "warning" | "danger";

const tones: Record<AlertTone, { box: string; icon: ReactNode }> = {
  info: { box: "border-info-line bg-info-soft text-info-fg", icon: <InfoIcon /> },
  success: { box: "border-success-line bg-success-soft text-success-fg", icon: <SuccessIcon /> },
  warning: { box: "border-warning-line bg-warning-soft text-warning-fg", icon: <WarningIcon /> },
  danger: { box: "border-danger-line bg-danger-soft text-danger-fg", icon: <ErrorIcon /> },
};

export type AlertProps = Omit<ComponentProps<"div">, "title"> & {
  tone?: AlertTone;
  title?: ReactNode;
  /** A button or link on the right, e.g. "Retry" or "Download log". */
  action?: ReactNode;
};

/** A message box. danger is role=alert (announced at once); the other tones are role=status. */
export function Alert({ tone = "info", title, action, className, children, role, ...rest }: AlertProps) {
  const t = tones[tone];
  return (
    <div
      role={role ?? (tone === "danger" ? "alert" : "status")}
      className={cn("flex gap-3 rounded-md border px-3.5 py-3 text-sm", t.box, className)}
      {...rest}
    >
      <span className="mt-px shrink-0 [&_svg]:size-[1.125rem]">{t.icon}</span>
      <div className="min-w-0 flex-1 space-y-1">
        {title ? <p className="font-semibold">{title}</p> : null}
        {children ? <div className="text-fg [&_a]:font-medium [&_a]:underline">{children}</div> : null}
      </div>
      {action ? <div className="shrink-0 self-center">{action}</div> : null}
    </div>
  );
}
