import type { Metadata } from "next";
import Link from "next/link";
import { AppUseBadges } from "@/components/software/app-use-badges";
import { formatBytes } from "@/components/software/format";
import { Sha256 } from "@/components/software/sha256";
import { UploadForm } from "@/components/software/upload-form";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { DownloadIcon, SoftwareIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { can } from "@/server/auth/roles";
import { db } from "@/server/db/client";
import { pageActor } from "@/server/http/page-guard";
import { listFiles } from "@/server/software/list-files";
import { listRepositories, type RepositorySummary } from "@/server/software/list-repositories";
import { CreateRepositoryForm } from "./create-repository-form";
import { DeleteFileForm } from "./delete-file-form";
import { FileMessages } from "./file-messages";
import { RepositorySettings } from "./repository-settings";

export const metadata: Metadata = { title: "Software" };

const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

function downloadHref(repositoryId: string, path: string): string {
  return `/api/repositories/${repositoryId}/files/download?path=${encodeURIComponent(path)}`;
}

function RepositoriesTable({ repositories, selected }: { repositories: RepositorySummary[]; selected: string }) {
  return (
    <Table framed={false} caption="Software repositories">
      <THead>
        <TR>
          <TH>Name</TH>
          <TH numeric>Files</TH>
          <TH numeric>Size</TH>
          <TH>Layers</TH>
        </TR>
      </THead>
      <TBody>
        {repositories.map((r) => (
          <TR key={r.id} interactive className={cn(r.id === selected && "bg-accent-soft")}>
            <TD>
              <Link href={`/software?repository=${r.id}`} aria-current={r.id === selected ? "true" : undefined} className="font-medium text-accent-fg hover:underline">
                {r.name}
              </Link>
            </TD>
            <TD numeric>{r.fileCount}</TD>
            <TD numeric title={`${r.totalSize} bytes`}>
              {formatBytes(r.totalSize)}
            </TD>
            <TD>{r.layers.length ? r.layers.map((l) => l.name).join(", ") : <span className="text-fg-subtle">none</span>}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

export default async function Page({ searchParams }: { searchParams: Promise<{ repository?: string | string[] }> }) {
  const actor = await pageActor("software:read");
  const canWrite = can(actor.role, "software:write");
  const repositories = await listRepositories(db());
  const wanted = (await searchParams).repository;
  const current = repositories.find((r) => r.id === wanted) ?? repositories[0];

  const header = (
    <PageHeader
      title="Software"
      description="Repositories of the files virt-v2v installs into guests: replacement kernels and RPMs, virtio-win drivers, rhsrvany. A configuration layer bound to a repository finds its apps' relative paths in it."
    />
  );

  if (!current) {
    return (
      <div className="space-y-6">
        {header}
        <EmptyState
          icon={<SoftwareIcon />}
          title="No software repositories yet"
          description={
            canWrite
              ? "Create a repository, then upload the RPMs and driver files your configuration points at; each app shows whether its file is present before a conversion needs it."
              : "An admin creates repositories and uploads the files your configuration points at."
          }
        />
        {canWrite ? (
          <Card className="max-w-xl">
            <CardHeader title="New repository" description="A named store of files; bind it to a configuration layer on that layer's page." />
            <CreateRepositoryForm />
          </Card>
        ) : null}
      </div>
    );
  }

  const { files, missing } = await listFiles(db(), current.id);
  const absent = files.filter((f) => !f.present);

  return (
    <div className="space-y-6">
      {header}
      <div className={cn("grid items-start gap-6", canWrite && "xl:grid-cols-[minmax(0,1fr)_24rem]")}>
        <Card>
          <CardHeader title={`${repositories.length} ${repositories.length === 1 ? "repository" : "repositories"}`} />
          <RepositoriesTable repositories={repositories} selected={current.id} />
        </Card>
        {canWrite ? (
          <Card>
            <CardHeader title="New repository" />
            <CreateRepositoryForm />
          </Card>
        ) : null}
      </div>

      <Card aria-labelledby="repository-title">
        <CardHeader
          title={<span id="repository-title">{current.name}</span>}
          description={
            <>
              {current.description ? <>{current.description} · </> : null}
              {current.fileCount} {current.fileCount === 1 ? "file" : "files"}, {formatBytes(current.totalSize)} ·{" "}
              {current.layers.length ? <>used by {current.layers.length === 1 ? "layer" : "layers"} {current.layers.map((l) => l.name).join(", ")}</> : "no layer is bound to it yet"}
            </>
          }
        />
        {missing.length > 0 || absent.length > 0 ? (
          <CardBody className="space-y-3 border-b border-line">
            {missing.length > 0 ? (
              <Alert tone="warning" title={`Apps point at ${missing.length} ${missing.length === 1 ? "file" : "files"} this repository does not have`}>
                <ul className="space-y-1">
                  {missing.map((m) => (
                    <li key={m.path} className="flex flex-wrap items-center gap-2">
                      <code className="font-mono text-[0.8125rem]">{m.path}</code>
                      <AppUseBadges uses={m.usedBy} />
                    </li>
                  ))}
                </ul>
              </Alert>
            ) : null}
            {absent.length > 0 ? (
              <Alert tone="danger" title={`${absent.length} recorded ${absent.length === 1 ? "file is" : "files are"} missing on disk`}>
                Upload {absent.length === 1 ? "it" : "them"} again: {absent.map((f) => f.path).join(", ")}.
              </Alert>
            ) : null}
          </CardBody>
        ) : null}
        <FileMessages>
          {files.length === 0 ? (
            <EmptyState bare icon={<SoftwareIcon />} title="No files in this repository" description={canWrite ? "Upload one below." : "An admin uploads them."} />
          ) : (
            <Table framed={false} caption={`Files in ${current.name}`}>
              <THead>
                <TR>
                  <TH>Path</TH>
                  <TH numeric>Size</TH>
                  <TH>SHA-256</TH>
                  <TH>Uploaded (UTC)</TH>
                  <TH>Used by</TH>
                  {canWrite ? (
                    <TH className="text-right">
                      <span className="sr-only">Actions</span>
                    </TH>
                  ) : null}
                </TR>
              </THead>
              <TBody>
                {files.map((f) => (
                  <TR key={f.id}>
                    <TD>
                      <span className="flex items-center gap-2">
                        <a href={downloadHref(current.id, f.path)} className="font-mono text-[0.8125rem] text-fg hover:text-accent-fg hover:underline" title={`Download ${f.path}`}>
                          {f.path}
                        </a>
                        <DownloadIcon aria-hidden="true" className="size-3.5 text-fg-subtle" />
                        {f.present ? null : <Badge tone="danger">missing on disk</Badge>}
                      </span>
                    </TD>
                    <TD numeric title={`${f.size} bytes`}>
                      {formatBytes(f.size)}
                    </TD>
                    <TD>
                      <Sha256 value={f.sha256} path={f.path} />
                    </TD>
                    <TD>
                      <span className="block">{f.uploadedByEmail}</span>
                      <span className="block text-xs text-fg-muted">{when.format(f.uploadedAt)}</span>
                    </TD>
                    <TD>
                      <AppUseBadges uses={f.usedBy} />
                    </TD>
                    {canWrite ? (
                      <TD className="text-right">
                        <DeleteFileForm repositoryId={current.id} path={f.path} />
                      </TD>
                    ) : null}
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
        </FileMessages>
      </Card>

      {canWrite ? (
        <div className="grid items-start gap-6 xl:grid-cols-2">
          <Card>
            <CardHeader title={`Upload to ${current.name}`} description="Large files stream straight to the console's disk; the sha256 is computed on the way." />
            <UploadForm key={current.id} repositoryId={current.id} repositoryName={current.name} existingPaths={files.map((f) => f.path)} />
          </Card>
          <Card>
            <CardHeader title="Repository settings" />
            <CardBody>
              <RepositorySettings key={current.id} id={current.id} name={current.name} description={current.description} fileCount={current.fileCount} />
            </CardBody>
          </Card>
        </div>
      ) : null}
    </div>
  );
}
