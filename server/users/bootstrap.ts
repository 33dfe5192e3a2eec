// Unattended installs: FERRY_ADMIN_EMAIL and FERRY_ADMIN_PASSWORD create the first admin at
// start when no user exists yet; later starts leave users alone.
import { db } from "../db/client.ts";
import type { TEnv } from "../env.ts";
import { logger } from "../log.ts";
import { createFirstAdmin, needsSetup } from "./first-admin.ts";
import { ZFirstAdmin } from "./schemas.ts";

const log = logger("setup");

export async function bootstrapAdminFromEnv(env: TEnv): Promise<void> {
  if (!(await needsSetup(db()))) return;
  if (!env.FERRY_ADMIN_EMAIL || !env.FERRY_ADMIN_PASSWORD) {
    log.info("no users yet: open the console to create the first admin");
    return;
  }
  const input = ZFirstAdmin.parse({ name: env.FERRY_ADMIN_NAME, email: env.FERRY_ADMIN_EMAIL, password: env.FERRY_ADMIN_PASSWORD });
  try {
    const user = await createFirstAdmin(db(), input, { via: "environment" });
    log.info(`created the first admin ${user.email} from FERRY_ADMIN_EMAIL`);
  } catch (e) {
    log.warn(`could not create the first admin from the environment: ${(e as Error).message}`);
  }
}
