"use client";
// Copies a value (a sha256) to the clipboard and says so for a moment.
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { CheckIcon } from "@/components/ui/icons";

export function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState<null | "ok" | "failed">(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("ok");
    } catch {
      setCopied("failed");
    }
    setTimeout(() => setCopied(null), 1500);
  };
  return (
    <Button size="sm" variant="ghost" className="h-6 px-1.5 text-xs" aria-label={label} title={label} onClick={() => void copy()}>
      {copied === "ok" ? (
        <>
          <CheckIcon /> Copied
        </>
      ) : copied === "failed" ? (
        "Copy failed"
      ) : (
        "Copy"
      )}
    </Button>
  );
}
