// Capabilities: what a guest needs (virtio, ...) as dependencies on apps with minimum versions.
// Matched by the ladder in document order: the first capability on the best rung wins.
import { AddDisclosure, EditableRow } from "@/components/config/disclosure";
import { depText, matchText } from "@/components/config/element-text";
import { Position, Section } from "@/components/config/section";
import { CardBody } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { LayerCapability } from "@/server/config/layer-model";
import { CapabilityForm } from "./capability-form";
import { RowActions } from "./row-actions";

type Props = { layerId: string; revision: number; capabilities: LayerCapability[]; canWrite: boolean };

export function CapabilitiesSection({ layerId, revision, capabilities, canWrite }: Props) {
  const target = { layerId, revision };
  return (
    <Section id="capabilities" title={`Capabilities (${capabilities.length})`} description="What a guest needs to run on KVM, as packages with minimum versions. Order matters: on the same rung of the matching ladder the earlier capability wins.">
      {capabilities.length === 0 ? (
        <CardBody className="text-sm text-fg-muted">No capabilities in this layer.</CardBody>
      ) : (
        <Table framed={false} caption="Capabilities, in document order">
          <THead>
            <TR>
              <TH className="w-12">#</TH>
              <TH>Name</TH>
              <TH>Matches</TH>
              <TH>Dependencies</TH>
              {canWrite ? <TH className="text-right"><span className="sr-only">Actions</span></TH> : null}
            </TR>
          </THead>
          <TBody>
            {capabilities.map((c, i) => {
              const label = `capability ${c.name ?? ""} (${matchText(c)})`;
              return (
                <EditableRow
                  key={i}
                  colSpan={canWrite ? 5 : 4}
                  label={label}
                  cells={
                    <>
                      <TD><Position n={i + 1} /></TD>
                      <TD className="font-medium">{c.name}</TD>
                      <TD className="font-mono text-[0.8125rem]">{matchText(c)}</TD>
                      <TD wrap>
                        {c.deps.length ? (
                          <ul className="space-y-0.5 font-mono text-xs">
                            {c.deps.map((d) => <li key={d.name}>{depText(d)}</li>)}
                          </ul>
                        ) : (
                          <span className="text-fg-subtle">none</span>
                        )}
                      </TD>
                    </>
                  }
                  actions={canWrite ? <RowActions layerId={layerId} revision={revision} kind="capability" index={i} count={capabilities.length} label={label} /> : undefined}
                  form={canWrite ? <CapabilityForm target={{ ...target, index: i }} capability={c} /> : undefined}
                />
              );
            })}
          </TBody>
        </Table>
      )}
      {canWrite ? (
        <CardBody className="border-t border-line">
          <AddDisclosure label="Add capability">
            <CapabilityForm target={target} />
          </AddDisclosure>
        </CardBody>
      ) : null}
    </Section>
  );
}
