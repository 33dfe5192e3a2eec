// Settings, API tokens: each user's personal tokens for scripts and `ferry convert --server`.
// A token acts with its owner's role; read-only ones may only read. The secret is shown once.
import type { Metadata } from "next";
import { headers } from "next/headers";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { listApiTokens } from "@/server/auth/api-tokens";
import { db } from "@/server/db/client";
import { pageActor } from "@/server/http/page-guard";
import { CreateApiTokenForm } from "./create-token-form";
import { RevokeApiTokenForm } from "./revoke-token-form";

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
      <div className="grid items-start gap-6 2xl:grid-cols-[minmax(0,1fr)_26rem]">
        <Card>
          <CardHeader title="Your tokens" description="Only the first characters are kept. Revoking a token refuses it from the next request." />
          {tokens.length === 0 ? (
            <CardBody className="text-sm text-fg-muted">No tokens yet.</CardBody>
          ) : (
            <Table framed={false} caption="Your API tokens">
              <THead>
                <TR>
                  <TH>Name</TH>
                  <TH>Token</TH>
                  <TH>Scope</TH>
                  <TH>Expires (UTC)</TH>
                  <TH>Last used (UTC)</TH>
                  <TH>Status</TH>
                </TR>
              </THead>
              <TBody>
                {tokens.map((t) => (
                  <TR key={t.id}>
                    <TD>{t.name}</TD>
                    <TD>
                      <code className="font-mono text-xs">{t.prefix}…</code>
                    </TD>
                    <TD>{t.readOnly ? <Badge>read-only</Badge> : <Badge tone="info">{actor.role}</Badge>}</TD>
                    <TD>{when.format(t.expiresAt)}</TD>
                    <TD>{t.lastUsedAt ? when.format(t.lastUsedAt) : <span className="text-fg-subtle">never</span>}</TD>
                    <TD>
                      <RevokeApiTokenForm id={t.id} name={t.name} revoked={t.revokedAt ? when.format(t.revokedAt) : null} expired={t.expiresAt <= now} />
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
        </Card>
        <Card>
          <CardHeader title="New API token" description="The secret is shown once, right after you create it." />
          <CreateApiTokenForm consoleUrl={consoleUrl} />
        </Card>
      </div>
    </div>
  );
}
