// The new token's secret, shown once right after it is created, with a copy button and how to
// use it (the agent command, or the API header): the same panel for agent and API tokens.
import type { ReactNode } from "react";
import { CopyButton } from "@/components/software/copy-button";

export function TokenSecretPanel({ tokenName, secret, testId, children }: { tokenName: string | undefined; secret: string; testId: string; children: ReactNode }) {
  return (
    <div className="space-y-2 rounded-md border border-line bg-surface-subtle p-3" role="group" aria-label="New token secret">
      <div className="flex items-center justify-between gap-2">
        <span className="text-sm font-medium">Secret of {tokenName}</span>
        <CopyButton value={secret} label="Copy the token" />
      </div>
      <code className="block break-all font-mono text-xs" data-testid={testId}>
        {secret}
      </code>
      {children}
    </div>
  );
}
