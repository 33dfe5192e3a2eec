import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { SearchIcon } from "@/components/ui/icons";

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-xl items-center px-4">
      <EmptyState icon={<SearchIcon />} title="Nothing here" description="This address does not match any page of the console." action={<ButtonLink href="/conversions" variant="primary">Back to conversions</ButtonLink>} />
    </main>
  );
}
