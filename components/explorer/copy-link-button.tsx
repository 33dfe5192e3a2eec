"use client";
// Copies the page's address (the question and so its answer) to the clipboard.
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { CheckIcon } from "@/components/ui/icons";

export function CopyLinkButton({ href }: { href: string }) {
  const [state, setState] = useState<null | "ok" | "failed">(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(new URL(href, window.location.href).toString());
      setState("ok");
    } catch {
      setState("failed");
    }
    setTimeout(() => setState(null), 1500);
  };
  return (
    <Button size="sm" onClick={() => void copy()}>
      {state === "ok" ? (
        <>
          <CheckIcon /> Link copied
        </>
      ) : state === "failed" ? (
        "Copy failed"
      ) : (
        "Copy link"
      )}
    </Button>
  );
}
