import { AppShell } from "@/components/shell/app-shell";
import { pageActor } from "@/server/http/page-guard";
import { signOutAction } from "./actions";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const actor = await pageActor();
  return (
    <AppShell user={{ name: actor.name, email: actor.email, role: actor.role }} signOutAction={signOutAction}>
      {children}
    </AppShell>
  );
}
