import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { SoftwareIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { pageActor } from "@/server/http/page-guard";

export const metadata: Metadata = { title: "Software" };

export default async function Page() {
  await pageActor("software:read");
  return (
    <div className="space-y-6">
      <PageHeader title="Software" description="Repositories of the files virt-v2v installs into guests: replacement kernels and RPMs, virtio-win drivers, rhsrvany." />
      <EmptyState icon={<SoftwareIcon />} title="No software repositories yet" description={<>Upload the RPMs and driver folders your configuration points at; each app shows whether its file is present before a conversion needs it.</>} />
    </div>
  );
}
