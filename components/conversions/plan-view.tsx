// A conversion plan as the operator reads it before pressing Start: the guest, where it goes,
// every NIC's mapping with the rule and layer that decided it, every disk's copy, the drivers
// and why, the software to install with each file's presence, and the output XML (or OVF).
// Server-rendered from the stored ConversionPlan; only the copy buttons run in the browser.
import type { ReactNode } from "react";
import { CopyButton } from "@/components/software/copy-button";
import { formatBytes } from "@/components/software/format";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Code } from "@/components/ui/code";
import { DescriptionItem, DescriptionList } from "@/components/ui/description-list";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { ConversionPlan } from "@/server/v2v/conversion-plan";
import type { SoftwarePlan } from "@/server/v2v/software-plan";
import { formatKiB } from "./format";
import { nicRuleText, nicText } from "./plan-labels";

function PlanCard({ id, title, description, actions, children }: { id: string; title: string; description?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <Card aria-labelledby={`${id}-title`}>
      <CardHeader title={<span id={`${id}-title`}>{title}</span>} description={description} actions={actions} />
      {children}
    </Card>
  );
}

function GuestCard({ plan }: { plan: ConversionPlan }) {
  const { guest, output } = plan;
  const facts = guest.facts;
  const version = [facts.major, facts.minor].filter((v) => v !== undefined).join(".");
  return (
    <PlanCard id="plan-guest" title="Guest and output">
      <CardBody className="py-1">
        <DescriptionList>
          <DescriptionItem term="Guest">
            <span className="font-medium">{guest.name}</span> <span className="text-fg-muted">({guest.sourceType}, {guest.arch}, {guest.vcpus} vCPU, {formatKiB(guest.memoryKiB)})</span>
          </DescriptionItem>
          <DescriptionItem term="Operating system">{[facts.os, facts.distro, version].filter(Boolean).join(" ")}{facts.kernel ? <span className="text-fg-muted"> · kernel {facts.kernel.version}-{facts.kernel.release}{facts.kernel.xen ? " (Xen)" : ""}</span> : null}</DescriptionItem>
          <DescriptionItem term="Output">
            <Code>-o {output.method}</Code>
            {output.uri ? <> <Code>-oc {output.uri}</Code></> : null} <Code>-os {output.storage}</Code> <Code>-of {output.format}</Code> <Code>-oa {output.allocation}</Code>
          </DescriptionItem>
          <DescriptionItem term="Profile">{output.profile ? <>{output.profile.name} <span className="text-fg-muted">from {output.profile.file}</span></> : <span className="text-fg-subtle">none</span>}</DescriptionItem>
          {plan.config?.length ? (
            <DescriptionItem term="Configuration">{plan.config.map((c) => `${c.file}${c.revision !== undefined ? ` r${c.revision}` : ""}`).join(", ")}</DescriptionItem>
          ) : null}
        </DescriptionList>
      </CardBody>
    </PlanCard>
  );
}

function NicsCard({ nics }: { nics: ConversionPlan["nics"] }) {
  return (
    <PlanCard id="plan-nics" title={`Network interfaces (${nics.length})`} description="Each NIC's source network or bridge, what it becomes, and the rule that decided it.">
      {nics.length === 0 ? (
        <CardBody className="text-sm text-fg-muted">The guest has no network interfaces.</CardBody>
      ) : (
        <Table framed={false} caption="Network interface mappings">
          <THead>
            <TR>
              <TH>MAC</TH>
              <TH>Source</TH>
              <TH><span className="sr-only">becomes</span></TH>
              <TH>Target</TH>
              <TH>Model</TH>
              <TH>Decided by</TH>
            </TR>
          </THead>
          <TBody>
            {nics.map((nic, i) => (
              <TR key={`${nic.mac ?? ""}-${i}`}>
                <TD className="font-mono text-[0.8125rem]">{nic.mac ?? <span className="text-fg-subtle">none</span>}</TD>
                <TD className="font-mono text-[0.8125rem]">{nicText(nic.from)}</TD>
                <TD className="w-8 text-fg-subtle">→</TD>
                <TD className="font-mono text-[0.8125rem]">
                  {nicText(nic.to)}
                  {nic.from.type === nic.to.type && nic.from.name === nic.to.name ? <span className="ml-2 font-sans text-xs text-fg-subtle">unchanged</span> : null}
                </TD>
                <TD>{nic.model}</TD>
                <TD wrap>{nicRuleText(nic)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </PlanCard>
  );
}

function DisksCard({ disks }: { disks: ConversionPlan["disks"] }) {
  const total = disks.reduce((sum, d) => sum + d.source.virtualSize, 0);
  return (
    <PlanCard id="plan-disks" title={`Disks (${disks.length}, ${formatBytes(total)})`} description="What is copied where, in the output format and allocation.">
      <Table framed={false} caption="Disk copies">
        <THead>
          <TR>
            <TH>Source</TH>
            <TH numeric>Size</TH>
            <TH><span className="sr-only">copied to</span></TH>
            <TH>Target</TH>
            <TH>Device</TH>
            <TH>Format</TH>
          </TR>
        </THead>
        <TBody>
          {disks.map((d) => (
            <TR key={d.index}>
              <TD wrap>
                <span className="font-mono text-[0.8125rem] break-all">{d.source.path}</span>
                <span className="block text-xs text-fg-muted">{d.source.target}{d.source.bus ? ` on ${d.source.bus}` : ""}, {d.source.format}</span>
              </TD>
              <TD numeric>{formatBytes(d.source.virtualSize)}</TD>
              <TD className="w-8 text-fg-subtle">→</TD>
              <TD wrap>
                <span className="font-mono text-[0.8125rem] break-all">{d.targetPath}</span>
                {d.rhev ? <span className="block text-xs text-fg-muted">image {d.rhev.imageId}, volume {d.rhev.volumeId}</span> : null}
              </TD>
              <TD className="font-mono text-[0.8125rem]">{d.targetDev} <span className="font-sans text-fg-muted">({d.bus})</span></TD>
              <TD>{d.format}, {d.allocation}</TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </PlanCard>
  );
}

function SoftwareBody({ software }: { software: SoftwarePlan }) {
  const kernel = software.kernel;
  return (
    <>
      <CardBody className="space-y-2 text-sm">
        <p>
          Capability <Code>{software.capability.name}</Code> from {software.capability.file}
          {software.satisfied ? ": already satisfied, nothing to install." : ":"}
        </p>
        {software.install.length ? <p><span className="text-fg-muted">Install:</span> {software.install.map((p) => <Code key={p} className="mr-1">{p}</Code>)}</p> : null}
        {software.upgrade.length ? <p><span className="text-fg-muted">Upgrade:</span> {software.upgrade.map((p) => <Code key={p} className="mr-1">{p}</Code>)}</p> : null}
        {kernel ? (
          <p>
            <span className="text-fg-muted">Kernel:</span> <Code>{kernel.name}{kernel.version ? `-${kernel.version}${kernel.release ? `-${kernel.release}` : ""}` : ""}.{kernel.arch}</Code>
            {kernel.replaces ? <span className="text-fg-muted"> replaces {kernel.replaces}</span> : null}
          </p>
        ) : null}
        {software.skipped.length ? <p className="text-fg-muted">Not installed (the guest does not have them): {software.skipped.join(", ")}</p> : null}
      </CardBody>
      {software.files.length ? (
        <Table framed={false} caption="Files the software plan installs">
          <THead>
            <TR>
              <TH>App</TH>
              <TH>File</TH>
              <TH>On the host</TH>
            </TR>
          </THead>
          <TBody>
            {software.files.map((f) => (
              <TR key={`${f.app}-${f.path}`}>
                <TD>{f.app}{f.arch ? <span className="text-fg-muted">.{f.arch}</span> : null}{f.kernel ? <Badge tone="info" className="ml-2">kernel</Badge> : null}</TD>
                <TD wrap className="font-mono text-[0.8125rem] break-all">{f.path}</TD>
                <TD>{f.missing ? <Badge tone="danger" dot>missing</Badge> : <Badge tone="success" dot>present</Badge>}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      ) : null}
    </>
  );
}

function DriversCard({ plan }: { plan: ConversionPlan }) {
  const { drivers, software, windows } = plan;
  const virtio = drivers.block === "virtio" && drivers.net === "virtio";
  return (
    <PlanCard id="plan-drivers" title="Drivers and software" description={<>Block <strong className="font-medium text-fg">{drivers.block}</strong>, network <strong className="font-medium text-fg">{drivers.net}</strong>: {drivers.reason}</>} actions={<Badge tone={virtio ? "success" : "warning"}>{virtio ? "virtio" : "fallback"}</Badge>}>
      {software ? <SoftwareBody software={software} /> : null}
      {windows ? (
        <CardBody className="space-y-1 text-sm">
          {windows.virtio ? <p><span className="text-fg-muted">VIRTIO_WIN:</span> <Code>{windows.virtio}</Code></p> : null}
          {windows.rhsrvany ? <p><span className="text-fg-muted">rhsrvany:</span> <Code>{windows.rhsrvany}</Code></p> : null}
          {windows.firstboot ? <p><span className="text-fg-muted">firstboot:</span> <Code>{windows.firstboot}</Code></p> : null}
        </CardBody>
      ) : null}
      {!software && !windows ? <CardBody className="text-sm text-fg-muted">No software to install.</CardBody> : null}
    </PlanCard>
  );
}

function OutputDocument({ plan }: { plan: ConversionPlan }) {
  const doc = plan.domainXml !== undefined ? { title: "Output domain XML", text: plan.domainXml, note: "What is defined in libvirt (or written as NAME.xml)." } : plan.ovf ? { title: "Output OVF", text: plan.ovf.xml, note: `The RHEV export domain's VM ${plan.ovf.vmId}.` } : null;
  if (!doc) return null;
  return (
    <PlanCard id="plan-output" title={doc.title} description={doc.note} actions={<CopyButton value={doc.text} label={`Copy the ${doc.title.toLowerCase()}`} />}>
      <pre className="max-h-[32rem] overflow-auto rounded-b-lg bg-surface-subtle px-4 py-3 font-mono text-[0.8125rem] leading-relaxed text-fg sm:px-5">
        <code>{doc.text}</code>
      </pre>
    </PlanCard>
  );
}

export function PlanView({ plan }: { plan: ConversionPlan }) {
  const missing = plan.software?.missing ?? [];
  return (
    <div className="space-y-4" aria-label="Conversion plan" role="region">
      {plan.warnings.length ? (
        <Alert tone="warning" title={plan.warnings.length === 1 ? "1 warning" : `${plan.warnings.length} warnings`}>
          <ul className="list-disc space-y-0.5 pl-5">
            {plan.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      {missing.length ? <Alert tone="danger" title="Files missing on the host">{missing.join(", ")}: the conversion fails before copying until they are uploaded.</Alert> : null}
      <GuestCard plan={plan} />
      <NicsCard nics={plan.nics} />
      <DisksCard disks={plan.disks} />
      <DriversCard plan={plan} />
      <OutputDocument plan={plan} />
    </div>
  );
}
