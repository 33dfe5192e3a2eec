import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { WarningIcon } from "@/components/ui/icons";

export default function Forbidden() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-xl items-center px-4">
      <EmptyState
        icon={<WarningIcon />}
        title="You don't have access to this page"
        description="Your role does not include it. Ask an admin if you need it."
        action={<ButtonLink href="/conversions" variant="primary">Back to conversions</ButtonLink>}
      />
    </main>
  );
}
