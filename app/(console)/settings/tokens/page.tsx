// Settings, API tokens: each user's personal tokens for scripts and `ferry convert --server`.
// A token acts with its owner's role; read-only ones may only read. The secret is shown once.
import type { Metadata } from "next";
import { headers } from "next/headers";
import { RevokeTokenForm } from "@/components/tokens/revoke-token-form";
import { LastUsed, TokenCards, TokenRow } from "@/components/tokens/token-cards";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { TD } from "@/components/ui/table";
import { listApiTokens } from "@/server/auth/api-tokens";
import { db } from "@/server/db/client";
import { pageActor } from "@/server/http/page-guard";
import { revokeApiTokenAction } from "./actions";
import { CreateApiTokenForm } from "./create-token-form";

export const metadata: Metadata = { title: "API tokens" };
export const dynamic = "force-dynamic";

const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default async function ApiTokensPage() {
  const actor = await pageActor("token:manage");
  const tokens = await listApiTokens(db(), actor.id);
  const h = await headers();
  const consoleUrl = process.env.FERRY_PUBLIC_URL ?? `http://${h.get("host") ?? "localhost:3000"}`;
  const now = new Date();
  return (
    <div className="space-y-6">
      <PageHeader
        title="API tokens"
        description={<>Personal tokens for scripts: the HTTP API (<a className="underline" href="/api/v1/docs">/api/v1/docs</a>) and <code>ferry convert --server</code>. A token acts with your role ({actor.role}).</>}
      />
      <TokenCards
        title="Your tokens"
        description="Only the first characters are kept. Revoking a token refuses it from the next request."
        caption="Your API tokens"
        columns={["Scope", "Expires (UTC)", "Last used (UTC)"]}
        rows={tokens.map((t) => (
          <TokenRow
            key={t.id}
            name={t.name}
            prefix={t.prefix}
            status={<RevokeTokenForm action={revokeApiTokenAction} id={t.id} name={t.name} revoked={t.revokedAt ? when.format(t.revokedAt) : null} expired={t.expiresAt <= now} />}
          >
            <TD>{t.readOnly ? <Badge>read-only</Badge> : <Badge tone="info">{actor.role}</Badge>}</TD>
            <TD>{when.format(t.expiresAt)}</TD>
            <TD>
              <LastUsed at={t.lastUsedAt ? when.format(t.lastUsedAt) : null} />
            </TD>
          </TokenRow>
        ))}
        newTitle="New API token"
        form={<CreateApiTokenForm consoleUrl={consoleUrl} />}
      />
    </div>
  );
}
