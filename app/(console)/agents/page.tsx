import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { AgentsIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { pageActor } from "@/server/http/page-guard";

export const metadata: Metadata = { title: "Agents" };

export default async function Page() {
  await pageActor("agent:read");
  return (
    <div className="space-y-6">
      <PageHeader title="Agents" description="The hosts that run conversions with the real tools: qemu-img, virt-v2v, libguestfs, libvirt." />
      <EmptyState icon={<AgentsIcon />} title="No agents connected" description={<>The console will run an embedded agent on this host, and conversion hosts join with an agent token. Each agent shows its tools, its free scratch space and what it is running.</>} />
    </div>
  );
}
