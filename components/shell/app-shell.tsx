import Link from "next/link";
import type { ReactNode } from "react";
import { Logo } from "@/components/brand/logo";
import { MobileNav } from "./mobile-nav";
import { SidebarNav } from "./sidebar-nav";
import { UserPanel, type ShellUser } from "./user-panel";

export type AppShellProps = {
  user: ShellUser;
  signOutAction: () => Promise<void>;
  children: ReactNode;
};

function HomeLink() {
  return (
    <Link href="/conversions" aria-label="Ferry, conversions" className="rounded-md">
      <Logo />
    </Link>
  );
}

function Panel({ user, signOutAction, idPrefix }: Omit<AppShellProps, "children"> & { idPrefix: string }) {
  return (
    <>
      <div className="flex-1 overflow-y-auto px-3 py-4">
        <SidebarNav role={user.role} idPrefix={idPrefix} />
      </div>
      <div className="shrink-0 border-t border-line p-3">
        <UserPanel user={user} signOutAction={signOutAction} />
      </div>
    </>
  );
}

/**
 * The signed-in console frame: a sidebar on desktop, a top bar with a menu button on small
 * screens, and the page in a centred column.
 */
export function AppShell({ user, signOutAction, children }: AppShellProps) {
  return (
    <div className="min-h-dvh">
      <a
        href="#main"
        className="sr-only rounded-md bg-surface px-3 py-2 text-sm font-medium text-fg shadow-md focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:z-50"
      >
        Skip to content
      </a>

      <aside className="fixed inset-y-0 left-0 z-30 hidden w-60 flex-col border-r border-line bg-surface lg:flex">
        <div className="flex h-14 shrink-0 items-center px-5">
          <HomeLink />
        </div>
        <Panel user={user} signOutAction={signOutAction} idPrefix="sidebar" />
      </aside>

      <header className="sticky top-0 z-20 flex h-14 items-center gap-2 border-b border-line bg-surface/90 px-3 backdrop-blur supports-[backdrop-filter]:bg-surface/80 sm:px-4 lg:hidden">
        <MobileNav brand={<HomeLink />}>
          <Panel user={user} signOutAction={signOutAction} idPrefix="drawer" />
        </MobileNav>
        <HomeLink />
      </header>

      <div className="lg:pl-60">
        <main id="main" tabIndex={-1} className="mx-auto w-full max-w-7xl px-4 py-6 outline-none sm:px-6 lg:px-8 lg:py-8">
          {children}
        </main>
      </div>
    </div>
  );
}
