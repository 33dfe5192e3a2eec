import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { NetworksIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { pageActor } from "@/server/http/page-guard";

export const metadata: Metadata = { title: "Networks" };

export default async function Page() {
  await pageActor("config:read");
  return (
    <div className="space-y-6">
      <PageHeader title="Networks" description="How each source NIC is mapped: Xen bridges and ESX port groups to libvirt networks or bridges, most specific rule first." />
      <EmptyState icon={<NetworksIcon />} title="No network mappings yet" description={<>Mappings such as bridge xenbr1 to network default, or a default for every unmapped NIC, appear here with the layer they come from.</>} />
    </div>
  );
}
