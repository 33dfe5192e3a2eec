import { cn } from "@/components/ui/cn";

export type LogoProps = {
  /** Show the "Ferry" wordmark next to the mark (default true). */
  wordmark?: boolean;
  size?: "sm" | "md" | "lg";
  className?: string;
};

const sizes = {
  sm: { mark: "size-6", text: "text-[0.9375rem]" },
  md: { mark: "size-7", text: "text-[1.0625rem]" },
  lg: { mark: "size-10", text: "text-2xl" },
} as const;

/** The Ferry mark (a ferry crossing water) and wordmark. */
export function Logo({ wordmark = true, size = "md", className }: LogoProps) {
  const s = sizes[size];
  return (
    <span className={cn("inline-flex items-center gap-2", className)}>
      <FerryMark className={cn(s.mark, "shrink-0")} title={wordmark ? undefined : "Ferry"} />
      {wordmark ? <span className={cn("font-semibold tracking-tight text-fg", s.text)}>Ferry</span> : null}
    </span>
  );
}

export function FerryMark({ className, title }: { className?: string; title?: string }) {
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 32 32"
      className={className}
      role={title ? "img" : undefined}
      aria-hidden={title ? undefined : true}
      focusable="false"
    >
      {title ? <title>{title}</title> : null}
      <rect width="32" height="32" rx="8" className="fill-accent" />
      <g className="fill-on-accent">
        <rect x="13.25" y="7.5" width="5.5" height="3.5" rx="1" />
        <path d="M9.5 12.25a1 1 0 0 1 1-1h11a1 1 0 0 1 1 1V16h-13Z" />
        <path d="M5.5 17h21l-2.55 4.35a1.5 1.5 0 0 1-1.3.75H9.35a1.5 1.5 0 0 1-1.3-.75Z" />
      </g>
      <g className="fill-accent">
        <rect x="11.5" y="12.75" width="2" height="1.75" rx="0.4" />
        <rect x="15" y="12.75" width="2" height="1.75" rx="0.4" />
        <rect x="18.5" y="12.75" width="2" height="1.75" rx="0.4" />
      </g>
      <path
        d="M5 25.6c1.75 0 1.75-1.1 3.5-1.1s1.75 1.1 3.5 1.1 1.75-1.1 3.5-1.1 1.75 1.1 3.5 1.1 1.75-1.1 3.5-1.1 1.75 1.1 3.5 1.1"
        fill="none"
        strokeWidth="1.5"
        strokeLinecap="round"
        className="stroke-on-accent"
        opacity="0.85"
      />
    </svg>
  );
}
