// Profiles: where a conversion writes (method, storage, format, allocation) and how its NICs are
// mapped. Listed in document order: with two profiles of one name, the first is used.
import { AddDisclosure, EditableRow } from "@/components/config/disclosure";
import { networkText } from "@/components/config/element-text";
import { Absent, Position, Section } from "@/components/config/section";
import { CardBody } from "@/components/ui/card";
import { Code } from "@/components/ui/code";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { LayerProfile } from "@/server/config/layer-model";
import { ProfileForm } from "./profile-form";
import { RowActions } from "./row-actions";

type Props = { layerId: string; revision: number; profiles: LayerProfile[]; canWrite: boolean };

export function ProfilesSection({ layerId, revision, profiles, canWrite }: Props) {
  const target = { layerId, revision };
  return (
    <Section id="profiles" title={`Profiles (${profiles.length})`} description="Where a conversion writes its guest (virt-v2v's -p). In document order: when two profiles share a name, the first one is used.">
      {profiles.length === 0 ? (
        <CardBody className="text-sm text-fg-muted">No profiles in this layer.</CardBody>
      ) : (
        <Table framed={false} caption="Profiles, in document order">
          <THead>
            <TR>
              <TH className="w-12">#</TH>
              <TH>Name</TH>
              <TH>Method</TH>
              <TH>Storage</TH>
              <TH>Format</TH>
              <TH>Allocation</TH>
              <TH>Network mappings</TH>
              {canWrite ? <TH className="text-right"><span className="sr-only">Actions</span></TH> : null}
            </TR>
          </THead>
          <TBody>
            {profiles.map((p, i) => (
              <EditableRow
                key={i}
                colSpan={canWrite ? 8 : 7}
                label={`profile ${p.name ?? i + 1}`}
                cells={
                  <>
                    <TD><Position n={i + 1} /></TD>
                    <TD className="font-medium">{p.name}</TD>
                    <TD>{p.method}</TD>
                    <TD><Code>{p.storage?.location ?? "—"}</Code></TD>
                    <TD>{p.storage?.format ?? <Absent />}</TD>
                    <TD>{p.storage?.allocation ?? <Absent />}</TD>
                    <TD wrap>
                      {p.networks.length ? (
                        <ul className="space-y-0.5 font-mono text-xs">
                          {p.networks.map((n, j) => <li key={j}>{networkText(n)}</li>)}
                        </ul>
                      ) : (
                        <span className="text-fg-subtle">the layer&apos;s networks</span>
                      )}
                    </TD>
                  </>
                }
                actions={canWrite ? <RowActions layerId={layerId} revision={revision} kind="profile" index={i} count={profiles.length} label={`profile ${p.name ?? i + 1}`} /> : undefined}
                form={canWrite ? <ProfileForm target={{ ...target, index: i }} profile={p} /> : undefined}
              />
            ))}
          </TBody>
        </Table>
      )}
      {canWrite ? (
        <CardBody className="border-t border-line">
          <AddDisclosure label="Add profile">
            <ProfileForm target={target} />
          </AddDisclosure>
        </CardBody>
      ) : null}
    </Section>
  );
}
