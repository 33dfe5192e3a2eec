// What a user record accepts at the boundary.
import { z } from "zod";
import { ROLES } from "../auth/roles.ts";

export const ZEmail = z.string().trim().toLowerCase().max(320, "Email is too long (at most 320 characters).").email("Enter a valid email address.");
export const ZPassword = z.string().min(8, "Password must be at least 8 characters.").max(128, "Password must be at most 128 characters.");
export const ZName = z.string().trim().min(1, "Name is required.").max(100, "Name is too long (at most 100 characters).");
export const ZRole = z.enum(ROLES, { message: "Role must be admin, operator or viewer." });

export const ZNewUser = z.object({ name: ZName, email: ZEmail, password: ZPassword, role: ZRole });
export type TNewUser = z.infer<typeof ZNewUser>;

export const ZFirstAdmin = z.object({ name: ZName, email: ZEmail, password: ZPassword });
export type TFirstAdmin = z.infer<typeof ZFirstAdmin>;

export const ZRoleChange = z.object({ userId: z.string().uuid("Unknown user."), role: ZRole });
export type TRoleChange = z.infer<typeof ZRoleChange>;

export const ZSessionRevocation = z.object({ userId: z.string().uuid("Unknown user.") });
export type TSessionRevocation = z.infer<typeof ZSessionRevocation>;
