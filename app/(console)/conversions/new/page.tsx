import type { Metadata } from "next";
import Link from "next/link";
import { ArrowLeftIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { getStack } from "@/server/config/get-stack";
import { db } from "@/server/db/client";
import { pageActor } from "@/server/http/page-guard";
import { NewConversionForm, type ProfileOption } from "./new-conversion-form";

export const metadata: Metadata = { title: "New conversion" };

export default async function Page() {
  await pageActor("conversion:start");
  const stack = await getStack(db());
  // The first layer defining a name wins (virt-v2v's -f order), so later ones are not offered.
  const profiles: ProfileOption[] = [];
  for (const layer of stack) {
    for (const p of layer.config.profiles) {
      if (p.name !== undefined && !profiles.some((o) => o.name === p.name)) profiles.push({ name: p.name, layer: layer.name, method: p.method, storage: p.storage?.location });
    }
  }
  return (
    <div className="space-y-6">
      <PageHeader
        eyebrow={<Link href="/conversions" className="inline-flex items-center gap-1 hover:text-fg"><ArrowLeftIcon className="size-4" /> Conversions</Link>}
        title="New conversion"
        description="The source guest, where it goes, and how its networks map: virt-v2v's options. A dry run reads the source and shows the plan (NICs, disks, software, the output XML) without copying anything; start it from there."
      />
      <NewConversionForm profiles={profiles} />
    </div>
  );
}
