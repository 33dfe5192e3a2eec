import path from "node:path";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { AppPresence } from "@/components/config/presence-badge";
import { Section } from "@/components/config/section";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { buttonClassName } from "@/components/ui/button";
import { CardBody } from "@/components/ui/card";
import { Code } from "@/components/ui/code";
import { DescriptionItem, DescriptionList } from "@/components/ui/description-list";
import { ArrowLeftIcon, DownloadIcon, UploadIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/server/auth/roles";
import { diffRevisions } from "@/server/config/diff-revisions";
import { getLayer, type LayerView } from "@/server/config/get-layer";
import { listLayers } from "@/server/config/list-layers";
import { listRevisions } from "@/server/config/list-revisions";
import { db } from "@/server/db/client";
import { isAppError } from "@/server/errors";
import { pageActor } from "@/server/http/page-guard";
import { layerMissingFiles } from "@/server/software/layer-missing-files";
import { listRepositories } from "@/server/software/list-repositories";
import { LayerSettingsForm } from "../layer-settings-form";
import { stackFileName } from "../stack-file-name";
import { AppsSection } from "./apps-section";
import { CapabilitiesSection } from "./capabilities-section";
import { HistorySection } from "./history-section";
import { ImportForm } from "./import-form";
import { NetworksSection } from "./networks-section";
import { PathRootForm } from "./path-root-form";
import { ProfilesSection } from "./profiles-section";

export const metadata: Metadata = { title: "Configuration layer" };

async function loadLayer(id: string): Promise<LayerView> {
  try {
    return await getLayer(db(), id);
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  }
}

function ordinal(n: number): string {
  const tail = n % 100 >= 11 && n % 100 <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${tail}`;
}

export default async function Page({ params, searchParams }: { params: Promise<{ layerId: string }>; searchParams: Promise<{ revision?: string | string[] }> }) {
  const actor = await pageActor("config:read");
  const { layerId } = await params;
  const layer = await loadLayer(layerId);
  const admin = can(actor.role, "config:write");
  const canEdit = admin && !layer.readOnly;
  const [layers, missing, repositories, revisions] = await Promise.all([listLayers(db()), layerMissingFiles(db(), layer.id), listRepositories(db()), listRevisions(db(), layer.id)]);
  const wanted = Number((await searchParams).revision);
  const shown = Number.isInteger(wanted) && wanted >= 1 && wanted <= layer.revision ? wanted : layer.revision;
  const diff = await diffRevisions(db(), layer.id, { to: shown });

  const index = Math.max(0, layers.findIndex((l) => l.id === layer.id));
  const fileName = stackFileName(index, layers.length, layer.name);
  const repository = repositories.find((r) => r.id === layer.repositoryId) ?? null;
  const missingSet = new Set(missing);
  const presence: AppPresence[] = layer.model.apps.map((a) => (path.posix.isAbsolute(a.path.trim()) ? "agent" : missingSet.has(a.path) ? "missing" : "present"));
  const m = layer.model;
  const sections = [
    ["profiles", "Profiles", m.profiles.length],
    ["networks", "Networks", m.networks.length],
    ["capabilities", "Capabilities", m.capabilities.length],
    ["apps", "Apps", m.apps.length],
    ["settings", "Settings", null],
    ...(canEdit ? ([["import", "Import", null]] as const) : []),
    ["history", "History", layer.revision],
  ] as const;

  return (
    <div className="space-y-6">
      <PageHeader
        eyebrow={
          <Link href="/configuration" className="inline-flex items-center gap-1 hover:text-fg">
            <ArrowLeftIcon className="size-3.5" /> Configuration
          </Link>
        }
        title={layer.name}
        meta={
          <>
            {layer.readOnly ? <Badge tone="neutral">Vendor · read-only</Badge> : <Badge tone="accent">Team layer</Badge>}
            <Badge tone="neutral">revision {layer.revision}</Badge>
            {missing.length ? (
              <Badge tone="danger" dot>
                {missing.length} missing {missing.length === 1 ? "file" : "files"}
              </Badge>
            ) : null}
          </>
        }
        description={
          <>
            {layer.description ? <>{layer.description} · </> : null}
            Searched {ordinal(index + 1)} of {layers.length}
            {" · "}
            {repository ? (
              <>
                files in <Link href={`/software?repository=${repository.id}`} className="font-medium text-accent-fg hover:underline">{repository.name}</Link>
              </>
            ) : (
              "no software repository"
            )}
          </>
        }
        actions={
          <>
            <a href={`/api/config/layers/${layer.id}/export`} download={fileName} className={buttonClassName({ variant: "secondary" })}>
              <DownloadIcon /> Export {fileName}
            </a>
            {canEdit ? (
              <a href="#import" className={buttonClassName({ variant: "primary" })}>
                <UploadIcon /> Import…
              </a>
            ) : null}
          </>
        }
      />

      <nav aria-label="Sections" className="sticky top-0 z-10 -mx-1 flex flex-wrap gap-1 rounded-lg border border-line bg-surface/95 p-1 shadow-xs backdrop-blur">
        {sections.map(([id, label, count]) => (
          <a key={id} href={`#${id}`} className="inline-flex h-8 items-center gap-1.5 rounded-md px-2.5 text-sm text-fg-muted hover:bg-surface-muted hover:text-fg">
            {label}
            {count !== null ? <span className="rounded-full bg-surface-muted px-1.5 text-xs tabular-nums text-fg-subtle">{count}</span> : null}
          </a>
        ))}
      </nav>

      {layer.readOnly ? (
        <Alert tone="info" title="The Vendor layer is read-only">
          It ships with Ferry and is always searched last. To change one of its entries, add an element that matches the same guests to a team layer: team layers are searched first.
        </Alert>
      ) : null}

      <ProfilesSection layerId={layer.id} revision={layer.revision} profiles={m.profiles} canWrite={canEdit} />
      <NetworksSection layerId={layer.id} revision={layer.revision} networks={m.networks} canWrite={canEdit} />
      <CapabilitiesSection layerId={layer.id} revision={layer.revision} capabilities={m.capabilities} canWrite={canEdit} />
      <AppsSection layerId={layer.id} revision={layer.revision} apps={m.apps} presence={presence} missing={missing} repository={repository && { id: repository.id, name: repository.name }} canWrite={canEdit} />

      <Section id="settings" title="Settings" description="Where the layer's relative app paths resolve: its path-root on the agent host, and the software repository the console checks and ships them from.">
        <CardBody>
          {admin ? (
            <div className="space-y-6">
              {canEdit ? <PathRootForm layerId={layer.id} revision={layer.revision} pathRoot={m.pathRoot} /> : null}
              <LayerSettingsForm
                layerId={layer.id}
                name={layer.name}
                description={layer.description}
                repositoryId={layer.repositoryId}
                vendor={layer.readOnly}
                repositories={repositories.map((r) => ({ id: r.id, name: r.name }))}
                afterDelete="/configuration"
              />
            </div>
          ) : null}
          {!canEdit ? (
            <DescriptionList className={admin ? "mt-6" : undefined}>
              <DescriptionItem term="Path root">{m.pathRoot ? <Code>{m.pathRoot}</Code> : <span className="text-fg-subtle">none</span>}</DescriptionItem>
              {admin ? null : <DescriptionItem term="Software repository">{repository ? repository.name : <span className="text-fg-subtle">none</span>}</DescriptionItem>}
              {m.isoPath ? <DescriptionItem term="ISO path">{<Code>{m.isoPath}</Code>}</DescriptionItem> : null}
            </DescriptionList>
          ) : null}
        </CardBody>
      </Section>

      {canEdit ? (
        <Section id="import" title="Import a virt-v2v.conf" description={`Replaces ${layer.name}'s profiles, networks, capabilities and apps with the file's. You see what would change before anything is written.`}>
          <CardBody>
            <ImportForm layerId={layer.id} layerName={layer.name} />
          </CardBody>
        </Section>
      ) : null}

      <HistorySection layerId={layer.id} revision={layer.revision} revisions={revisions} diff={diff} canRestore={canEdit} />
    </div>
  );
}
