import { adminNav, mainNav, type NavItem } from "./nav-items";
import { NavLink } from "./nav-link";

export type ShellRole = "admin" | "operator" | "viewer";

function NavList({ items, labelledBy }: { items: readonly NavItem[]; labelledBy?: string }) {
  return (
    <ul className="space-y-0.5" aria-labelledby={labelledBy}>
      {items.map((item) => (
        <li key={item.href}>
          <NavLink href={item.href} icon={item.icon}>
            {item.label}
          </NavLink>
        </li>
      ))}
    </ul>
  );
}

/** The console's navigation; the Administration group is shown to admins only. */
export function SidebarNav({ role, idPrefix }: { role: ShellRole; idPrefix: string }) {
  const adminHeadingId = `${idPrefix}-admin-heading`;
  return (
    <nav aria-label="Main">
      <NavList items={mainNav} />
      {role === "admin" ? (
        <div className="mt-6">
          <p id={adminHeadingId} className="mb-1.5 px-2.5 text-xs font-medium tracking-wide text-fg-subtle uppercase">
            Administration
          </p>
          <NavList items={adminNav} labelledBy={adminHeadingId} />
        </div>
      ) : null}
    </nav>
  );
}
