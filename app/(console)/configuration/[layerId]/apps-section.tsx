// Apps: the files virt-v2v installs, with whether each is present. Missing files are listed at
// the top, so a layer that would fail a conversion says so before one starts.
import { AddDisclosure, EditableRow } from "@/components/config/disclosure";
import { matchText } from "@/components/config/element-text";
import { PresenceBadge, type AppPresence } from "@/components/config/presence-badge";
import { Position, Section } from "@/components/config/section";
import { Alert } from "@/components/ui/alert";
import { CardBody } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { LayerApp } from "@/server/config/layer-model";
import { AppForm } from "./app-form";
import { RowActions } from "./row-actions";

type Props = { layerId: string; revision: number; apps: LayerApp[]; presence: AppPresence[]; missing: string[]; repository: { id: string; name: string } | null; canWrite: boolean };

export function AppsSection({ layerId, revision, apps, presence, missing, repository, canWrite }: Props) {
  const target = { layerId, revision };
  return (
    <Section id="apps" title={`Apps (${apps.length})`} description="Files installed into matching guests. Order matters: on the same rung of the matching ladder the earlier app wins.">
      {missing.length > 0 ? (
        <CardBody className="border-b border-line">
          <Alert tone="warning" title={`${missing.length} ${missing.length === 1 ? "file is" : "files are"} missing`}>
            <p>
              {repository ? (
                <>
                  Not in the repository <a href={`/software?repository=${repository.id}`}>{repository.name}</a>: upload {missing.length === 1 ? "it" : "them"} there, at {missing.length === 1 ? "this path" : "these paths"}.
                </>
              ) : (
                <>This layer is bound to no software repository, so its relative paths cannot be found. Bind one in Settings below.</>
              )}
            </p>
            <ul className="mt-1.5 space-y-0.5 font-mono text-xs">
              {missing.map((p) => <li key={p}>{p}</li>)}
            </ul>
          </Alert>
        </CardBody>
      ) : null}
      {apps.length === 0 ? (
        <CardBody className="text-sm text-fg-muted">No apps in this layer.</CardBody>
      ) : (
        <Table framed={false} caption="Apps, in document order">
          <THead>
            <TR>
              <TH className="w-12">#</TH>
              <TH>Name</TH>
              <TH>Matches</TH>
              <TH>Path</TH>
              <TH>File</TH>
              <TH>Depends on</TH>
              {canWrite ? <TH className="text-right"><span className="sr-only">Actions</span></TH> : null}
            </TR>
          </THead>
          <TBody>
            {apps.map((a, i) => {
              const label = `app ${a.name ?? ""} (${matchText(a)})`;
              return (
                <EditableRow
                  key={i}
                  colSpan={canWrite ? 7 : 6}
                  label={label}
                  cells={
                    <>
                      <TD><Position n={i + 1} /></TD>
                      <TD className="font-medium">{a.name}</TD>
                      <TD className="font-mono text-[0.8125rem]">{matchText(a)}</TD>
                      <TD wrap className="font-mono text-xs break-all">{a.path}</TD>
                      <TD><PresenceBadge presence={presence[i] ?? "missing"} /></TD>
                      <TD className="font-mono text-xs">{a.deps.length ? a.deps.join(", ") : <span className="font-sans text-fg-subtle">none</span>}</TD>
                    </>
                  }
                  actions={canWrite ? <RowActions layerId={layerId} revision={revision} kind="app" index={i} count={apps.length} label={label} /> : undefined}
                  form={canWrite ? <AppForm target={{ ...target, index: i }} app={a} /> : undefined}
                />
              );
            })}
          </TBody>
        </Table>
      )}
      {canWrite ? (
        <CardBody className="border-t border-line">
          <AddDisclosure label="Add app">
            <AppForm target={target} />
          </AddDisclosure>
        </CardBody>
      ) : null}
    </Section>
  );
}
