import type { ReactNode } from "react";
import { Logo } from "@/components/brand/logo";

export type AuthCardProps = {
  title: string;
  description?: string;
  children: ReactNode;
  /** Under the card: a note or a link ("First time here? ..."). */
  footer?: ReactNode;
};

/** The centred frame of the sign-in and first-run setup pages. */
export function AuthCard({ title, description, children, footer }: AuthCardProps) {
  return (
    <main className="relative isolate flex min-h-dvh flex-col items-center justify-center px-4 py-12 sm:py-16">
      <div
        aria-hidden="true"
        className="absolute inset-x-0 top-0 -z-10 h-80 bg-linear-to-b from-accent-soft to-transparent"
      />
      <div className="w-full max-w-sm">
        <div className="mb-7 flex flex-col items-center text-center">
          <Logo size="lg" />
          <p className="mt-3 text-sm text-balance text-fg-muted">Move virtual machines onto KVM, one honest step at a time.</p>
        </div>
        <section
          aria-labelledby="auth-card-title"
          className="rounded-xl border border-line bg-surface shadow-sm"
        >
          <div className="px-6 pt-6">
            <h1 id="auth-card-title" className="text-lg font-semibold tracking-tight text-fg">
              {title}
            </h1>
            {description ? <p className="mt-1 text-sm text-fg-muted">{description}</p> : null}
          </div>
          <div className="px-6 pt-5 pb-6">{children}</div>
        </section>
        {footer ? <div className="mt-6 text-center text-sm text-fg-muted">{footer}</div> : null}
      </div>
    </main>
  );
}
