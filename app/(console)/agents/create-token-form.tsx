"use client";
// New agent token: the secret comes back once, with the command that uses it on a conversion host.
import { CopyButton } from "@/components/software/copy-button";
import { CreateTokenForm } from "@/components/tokens/create-token-form";
import { createAgentTokenAction } from "./actions";

export function CreateAgentTokenForm({ consoleUrl }: { consoleUrl: string }) {
  return (
    <CreateTokenForm
      action={createAgentTokenAction}
      label="New agent token"
      nameId="token-name"
      namePlaceholder="conv-host-1"
      secretTestId="agent-token-secret"
      usage={(secret) => {
        const command = `ferry agent --server ${consoleUrl} --token ${secret}`;
        return (
          <>
            <p className="text-xs text-fg-muted">On the conversion host:</p>
            <div className="flex items-start justify-between gap-2">
              <code className="block break-all font-mono text-xs">{command}</code>
              <CopyButton value={command} label="Copy the command" />
            </div>
          </>
        );
      }}
    />
  );
}
