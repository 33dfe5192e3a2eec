import { SubmitButton } from "@/components/forms/submit-button";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { SignOutIcon } from "@/components/ui/icons";
import type { ShellRole } from "./sidebar-nav";

export type ShellUser = { name: string; email: string; role: ShellRole };

const roleTone: Record<ShellRole, BadgeTone> = { admin: "accent", operator: "info", viewer: "neutral" };

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts;
  return letters.map((p) => p?.[0]?.toUpperCase() ?? "").join("") || "?";
}

/** Who is signed in, their role, and the sign-out button. */
export function UserPanel({ user, signOutAction }: { user: ShellUser; signOutAction: () => Promise<void> }) {
  return (
    <div className="space-y-2">
      <div className="flex items-center gap-2.5 px-1">
        <span
          aria-hidden="true"
          className="flex size-8 shrink-0 items-center justify-center rounded-full bg-surface-muted text-xs font-semibold text-fg-muted ring-1 ring-line ring-inset"
        >
          {initials(user.name)}
        </span>
        <div className="min-w-0 flex-1">
          <div className="flex items-center gap-2">
            <p className="truncate text-sm font-medium text-fg">{user.name}</p>
            <Badge tone={roleTone[user.role]} className="ml-auto capitalize">
              <span className="sr-only">Role: </span>
              {user.role}
            </Badge>
          </div>
          <p className="truncate text-xs text-fg-muted" title={user.email}>
            {user.email}
          </p>
        </div>
      </div>
      <form action={signOutAction}>
        <SubmitButton variant="ghost" size="sm" className="w-full justify-start" pendingLabel="Signing out…">
          <SignOutIcon />
          Sign out
        </SubmitButton>
      </form>
    </div>
  );
}
