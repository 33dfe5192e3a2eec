import type { Metadata } from "next";
import Link from "next/link";
import { CopyButton } from "@/components/software/copy-button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Code } from "@/components/ui/code";
import { ArrowLeftIcon, DownloadIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { exportStack } from "@/server/config/export-stack";
import { listLayers } from "@/server/config/list-layers";
import { db } from "@/server/db/client";
import { pageActor } from "@/server/http/page-guard";

export const metadata: Metadata = { title: "Export configuration" };

export default async function Page() {
  await pageActor("config:read");
  const [files, layers] = await Promise.all([exportStack(db()), listLayers(db())]);
  const command = `virt-v2v ${files.map((f) => `-f ${f.fileName}`).join(" ")}`;
  return (
    <div className="space-y-6">
      <PageHeader
        eyebrow={
          <Link href="/configuration" className="inline-flex items-center gap-1 hover:text-fg">
            <ArrowLeftIcon className="size-3.5" /> Configuration
          </Link>
        }
        title="Export all layers"
        description="Each layer as a virt-v2v.conf file that virt-v2v itself accepts, numbered in search order. Give them to virt-v2v in that order to get the same matching as the console."
      />
      <Card>
        <CardHeader title={`${files.length} ${files.length === 1 ? "file" : "files"}`} />
        <Table framed={false} caption="Exported files, in search order">
          <THead>
            <TR>
              <TH>File</TH>
              <TH>Layer</TH>
              <TH>Revision</TH>
              <TH numeric>Size</TH>
            </TR>
          </THead>
          <TBody>
            {files.map((f, i) => (
              <TR key={f.fileName}>
                <TD>
                  <a href={`/api/config/export/${encodeURIComponent(f.fileName)}`} download={f.fileName} className="inline-flex items-center gap-1.5 font-mono text-[0.8125rem] text-accent-fg hover:underline">
                    <DownloadIcon className="size-3.5" /> {f.fileName}
                  </a>
                </TD>
                <TD>{layers[i] ? <Link href={`/configuration/${layers[i].id}`} className="hover:underline">{f.name}</Link> : f.name}</TD>
                <TD className="tabular-nums">{layers[i]?.headRevision ?? ""}</TD>
                <TD numeric>{new TextEncoder().encode(f.text).length.toLocaleString("en-GB")} B</TD>
              </TR>
            ))}
          </TBody>
        </Table>
        <CardBody className="space-y-2 border-t border-line">
          <p className="text-sm text-fg-muted">Download them into one directory, then run virt-v2v with each one, first searched first:</p>
          <div className="flex items-start gap-2">
            <pre className="min-w-0 flex-1 overflow-x-auto rounded-md border border-line bg-surface-subtle px-3 py-2 font-mono text-[0.8125rem] text-fg">
              {command} <span className="text-fg-subtle">[the rest of your virt-v2v options]</span>
            </pre>
            <CopyButton value={command} label="Copy the command line" />
          </div>
          <p className="text-xs text-fg-muted">
            Relative app paths resolve under each file&apos;s <Code>&lt;path-root&gt;</Code>: copy a layer&apos;s software repository there as well.
          </p>
        </CardBody>
      </Card>
    </div>
  );
}
