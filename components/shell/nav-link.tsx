"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";

export type NavLinkProps = { href: string; icon: ReactNode; children: ReactNode };

/** A sidebar link; marks itself aria-current="page" on its route and the routes below it. */
export function NavLink({ href, icon, children }: NavLinkProps) {
  const pathname = usePathname() ?? "";
  const active = pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      className={cn(
        "group flex h-9 items-center gap-2.5 rounded-md px-2.5 text-sm transition-colors",
        active
          ? "bg-accent-soft font-medium text-accent-fg"
          : "text-fg-muted hover:bg-surface-muted hover:text-fg",
      )}
    >
      <span
        className={cn(
          "shrink-0 [&_svg]:size-[1.125rem]",
          active ? "text-accent-fg" : "text-fg-subtle group-hover:text-fg-muted",
        )}
      >
        {icon}
      </span>
      <span className="truncate">{children}</span>
    </Link>
  );
}
