// Roles and what each may do: authorization is data plus one predicate, `can`.
export const ROLES = ["admin", "operator", "viewer"] as const;
export type TRole = (typeof ROLES)[number];

export const ROLE_LABEL: Record<TRole, string> = {
  admin: "Admin",
  operator: "Operator",
  viewer: "Viewer",
};

export const ROLE_DESCRIPTION: Record<TRole, string> = {
  admin: "Everything: users, configuration, audit, agents, conversions.",
  operator: "Starts, cancels and retries conversions; reads configuration.",
  viewer: "Watches conversions and reads configuration; changes nothing.",
};

const ALL: readonly TRole[] = ROLES;
const STAFF: readonly TRole[] = ["admin", "operator"];
const ADMIN: readonly TRole[] = ["admin"];

export const PERMISSIONS = {
  "console:view": ALL,
  "conversion:read": ALL,
  "conversion:start": STAFF,
  "conversion:cancel": STAFF,
  "conversion:retry": STAFF,
  "config:read": ALL,
  "config:write": ADMIN,
  "software:read": ALL,
  "software:write": ADMIN,
  "agent:read": ALL,
  "agent:manage": ADMIN,
  "audit:read": ADMIN,
  "user:read": ADMIN,
  "user:create": ADMIN,
  "user:update-role": ADMIN,
  /** Sign a user out everywhere (their sessions deleted, live connections closed). */
  "user:revoke-sessions": ADMIN,
  /** One's own personal API tokens (a token acts with its owner's role). */
  "token:manage": ALL,
} as const satisfies Record<string, readonly TRole[]>;

export type TPermission = keyof typeof PERMISSIONS;

export function isRole(value: unknown): value is TRole {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function can(role: TRole | null | undefined, permission: TPermission): boolean {
  if (!role) return false;
  return (PERMISSIONS[permission] as readonly TRole[]).includes(role);
}
