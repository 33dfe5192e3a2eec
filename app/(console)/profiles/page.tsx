import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { ProfilesIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { pageActor } from "@/server/http/page-guard";

export const metadata: Metadata = { title: "Profiles" };

export default async function Page() {
  await pageActor("config:read");
  return (
    <div className="space-y-6">
      <PageHeader title="Profiles" description="Target profiles: the output method, storage, disk format and allocation, and network mappings a conversion uses (virt-v2v's -p)." />
      <EmptyState icon={<ProfilesIcon />} title="No profiles yet" description={<>Profiles come from your configuration layers: import the virt-v2v.conf you already have, or define them here, and pick one when you start a conversion.</>} />
    </div>
  );
}
