import type { SVGProps } from "react";

/** Bars on a baseline: the dashboard's entry in the navigation. */
export function DashboardIcon({ className, ...rest }: SVGProps<SVGSVGElement>) {
  return (
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.75} strokeLinecap="round" strokeLinejoin="round" className={className ?? "size-4"} aria-hidden focusable="false" {...rest}>
      <path d="M4 20h16M7 16v-5M12 16V6M17 16v-8" />
    </svg>
  );
}
