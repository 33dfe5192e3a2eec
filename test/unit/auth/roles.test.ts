import { describe, expect, test } from "vitest";
import { can, PERMISSIONS, ROLES, type TPermission, type TRole } from "../../../server/auth/roles.ts";

// The role table as the console promises it: admins do everything, operators run conversions,
// viewers only look.
const expected: Record<TRole, TPermission[]> = {
  admin: Object.keys(PERMISSIONS) as TPermission[],
  operator: ["console:view", "conversion:read", "conversion:start", "conversion:cancel", "conversion:retry", "config:read", "software:read", "agent:read", "token:manage"],
  viewer: ["console:view", "conversion:read", "config:read", "software:read", "agent:read", "token:manage"],
};

describe("role permissions", () => {
  test.each(ROLES.flatMap((role) => (Object.keys(PERMISSIONS) as TPermission[]).map((p) => [role, p] as const)))("%s may %s: as the table says", (role, permission) => {
    expect(can(role, permission)).toBe(expected[role].includes(permission));
  });

  test("no role, or an unknown one, may do nothing", () => {
    expect(can(null, "console:view")).toBe(false);
    expect(can(undefined, "conversion:read")).toBe(false);
    expect(can("root" as TRole, "user:create")).toBe(false);
  });
});
