import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { ConversionsIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { pageActor } from "@/server/http/page-guard";

export const metadata: Metadata = { title: "Conversions" };

export default async function Page() {
  await pageActor("conversion:read");
  return (
    <div className="space-y-6">
      <PageHeader title="Conversions" description="Every conversion, running or finished: its guest, source, profile, agent, live log and result." />
      <EmptyState icon={<ConversionsIcon />} title="No conversions yet" description={<>Conversions you start here or with <code className="font-mono text-fg">ferry convert</code> appear in this list, each with its live log, per-disk progress and the exact configuration it used.</>} />
    </div>
  );
}
