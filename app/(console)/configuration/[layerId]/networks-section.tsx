// The layer's top-level network mappings: source bridge/network -> target, tried in document
// order after the profile's own mappings; "default" catches any source not mapped before it.
import { AddDisclosure, EditableRow } from "@/components/config/disclosure";
import { sourceText, targetText } from "@/components/config/element-text";
import { Position, Section } from "@/components/config/section";
import { CardBody } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { LayerNetwork } from "@/server/config/layer-model";
import { NetworkForm } from "./network-form";
import { RowActions } from "./row-actions";

type Props = { layerId: string; revision: number; networks: LayerNetwork[]; canWrite: boolean };

export function NetworksSection({ layerId, revision, networks, canWrite }: Props) {
  const target = { layerId, revision };
  return (
    <Section id="networks" title={`Networks (${networks.length})`} description="How each source NIC's bridge or network becomes a target one. In document order: the first mapping of a source wins; a profile's own mappings are tried before these.">
      {networks.length === 0 ? (
        <CardBody className="text-sm text-fg-muted">No network mappings in this layer.</CardBody>
      ) : (
        <Table framed={false} caption="Network mappings, in document order">
          <THead>
            <TR>
              <TH className="w-12">#</TH>
              <TH>Source</TH>
              <TH><span className="sr-only">becomes</span></TH>
              <TH>Target</TH>
              {canWrite ? <TH className="text-right"><span className="sr-only">Actions</span></TH> : null}
            </TR>
          </THead>
          <TBody>
            {networks.map((n, i) => (
              <EditableRow
                key={i}
                colSpan={canWrite ? 5 : 4}
                label={`network ${sourceText(n)}`}
                cells={
                  <>
                    <TD><Position n={i + 1} /></TD>
                    <TD className="font-mono text-[0.8125rem]">{sourceText(n)}</TD>
                    <TD className="w-8 text-fg-subtle">→</TD>
                    <TD className="font-mono text-[0.8125rem]">{targetText(n)}</TD>
                  </>
                }
                actions={canWrite ? <RowActions layerId={layerId} revision={revision} kind="network" index={i} count={networks.length} label={`network ${sourceText(n)}`} /> : undefined}
                form={canWrite ? <NetworkForm target={{ ...target, index: i }} network={n} /> : undefined}
              />
            ))}
          </TBody>
        </Table>
      )}
      {canWrite ? (
        <CardBody className="border-t border-line">
          <AddDisclosure label="Add network mapping">
            <NetworkForm target={target} />
          </AddDisclosure>
        </CardBody>
      ) : null}
    </Section>
  );
}
