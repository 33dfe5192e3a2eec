"use client";
// Re-renders the page from the server every few seconds while a conversion is queued or
// running, so its status, progress and log stay current. (Socket.IO replaces this later.)
import { useRouter } from "next/navigation";
import { useEffect } from "react";

export function AutoRefresh({ active, intervalMs = 2000 }: { active: boolean; intervalMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      // Not while the tab is hidden: nobody is watching, and it would only load the server.
      if (document.visibilityState === "visible") router.refresh();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, router]);
  return null;
}
