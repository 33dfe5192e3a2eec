"use client";

import { usePathname } from "next/navigation";
import { useEffect, useId, useRef, useState, type MouseEvent, type ReactNode } from "react";
import { CloseIcon, MenuIcon } from "@/components/ui/icons";

export type MobileNavProps = {
  /** Shown at the top of the drawer (the logo). */
  brand: ReactNode;
  /** The drawer's content: the navigation and the user panel, rendered on the server. */
  children: ReactNode;
};

/**
 * The menu button of the small-screen top bar and the drawer it opens. A modal <dialog> gives
 * the focus trap, Escape and an inert page for free; it closes on navigation and at the
 * desktop breakpoint, where the sidebar takes over.
 */
export function MobileNav({ brand, children }: MobileNavProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  const id = useId();

  useEffect(() => {
    dialogRef.current?.close();
  }, [pathname]);

  useEffect(() => {
    const desktop = window.matchMedia("(min-width: 64rem)");
    const onChange = () => {
      if (desktop.matches) dialogRef.current?.close();
    };
    desktop.addEventListener("change", onChange);
    return () => desktop.removeEventListener("change", onChange);
  }, []);

  function onDialogClick(event: MouseEvent<HTMLDialogElement>) {
    const target = event.target as HTMLElement;
    // A click on the backdrop lands on the dialog itself; a click on a link navigates away.
    if (target === event.currentTarget || target.closest("a")) dialogRef.current?.close();
  }

  return (
    <>
      <button
        type="button"
        aria-label="Open navigation"
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => {
          dialogRef.current?.showModal();
          setOpen(true);
        }}
        className="-ml-1 inline-flex size-9 items-center justify-center rounded-md text-fg-muted hover:bg-surface-muted hover:text-fg [&_svg]:size-5"
      >
        <MenuIcon />
      </button>
      <dialog
        ref={dialogRef}
        id={id}
        aria-label="Navigation"
        onClose={() => setOpen(false)}
        onClick={onDialogClick}
        className="fixed inset-y-0 left-0 m-0 h-dvh max-h-none w-72 max-w-[85vw] border-r border-line bg-surface p-0 text-fg shadow-xl transition-transform duration-200 ease-out backdrop:bg-slate-950/40 open:flex starting:open:-translate-x-full lg:hidden"
      >
        <div className="flex w-full flex-col">
          <div className="flex h-14 shrink-0 items-center justify-between border-b border-line pr-2 pl-4">
            {brand}
            <button
              type="button"
              aria-label="Close navigation"
              onClick={() => dialogRef.current?.close()}
              className="inline-flex size-9 items-center justify-center rounded-md text-fg-muted hover:bg-surface-muted hover:text-fg [&_svg]:size-5"
            >
              <CloseIcon />
            </button>
          </div>
          {children}
        </div>
      </dialog>
    </>
  );
}
