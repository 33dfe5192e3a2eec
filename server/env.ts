// The console's settings, read once from the environment and checked, so a typo fails at start
// with the variable's name instead of misbehaving later.
import path from "node:path";
import { z } from "zod";
import { keyRequired, MISSING_KEY_MESSAGE, parseKey, SecretKeyError } from "./secrets/key.ts";

const ZEnv = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  FERRY_DATA_DIR: z.string().min(1).default("./.ferry"),
  DATABASE_URL: z.string().url().optional(),
  FERRY_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  FERRY_PUBLIC_URL: z.string().url().optional(),
  FERRY_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  FERRY_ADMIN_EMAIL: z.string().email().optional(),
  FERRY_ADMIN_PASSWORD: z.string().min(8, "must be at least 8 characters").optional(),
  FERRY_ADMIN_NAME: z.string().min(1).default("Administrator"),
  FERRY_SIGNIN_ATTEMPTS_PER_MINUTE: z.coerce.number().int().min(1).default(5),
  FERRY_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** The credentials key (server/secrets/key.ts); checked below, never kept in TEnv. */
  FERRY_SECRET_KEY: z.string().optional(),
  FERRY_SECRET_KEY_PREVIOUS: z.string().optional(),
});

export type TEnv = Omit<z.infer<typeof ZEnv>, "FERRY_SECRET_KEY" | "FERRY_SECRET_KEY_PREVIOUS"> & { dataDir: string };

export class EnvError extends Error {}

export function readEnv(source: NodeJS.ProcessEnv = process.env): TEnv {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const parsed = ZEnv.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Invalid environment:\n${lines.join("\n")}`);
  }
  checkSecretKey(cleaned);
  const { FERRY_SECRET_KEY: _key, FERRY_SECRET_KEY_PREVIOUS: _previous, ...settings } = parsed.data;
  return { ...settings, dataDir: path.resolve(parsed.data.FERRY_DATA_DIR) };
}

/** A malformed key, or none in production on an external database: refused at start, not at the first conversion. */
function checkSecretKey(env: Record<string, string | undefined>): void {
  try {
    if (env.FERRY_SECRET_KEY) parseKey(env.FERRY_SECRET_KEY, "FERRY_SECRET_KEY");
    else if (keyRequired(env)) throw new SecretKeyError(MISSING_KEY_MESSAGE);
    for (const [i, v] of (env.FERRY_SECRET_KEY_PREVIOUS ?? "").split(",").filter((x) => x.trim()).entries()) parseKey(v, `FERRY_SECRET_KEY_PREVIOUS (entry ${i + 1})`);
  } catch (e) {
    if (e instanceof SecretKeyError) throw new EnvError(`Invalid environment:\n  ${e.message}`);
    throw e;
  }
}

export function publicUrl(env: TEnv): string {
  if (env.FERRY_PUBLIC_URL) return env.FERRY_PUBLIC_URL.replace(/\/$/, "");
  const host = env.HOST === "0.0.0.0" || env.HOST === "::" ? "127.0.0.1" : env.HOST;
  return `http://${host.includes(":") ? `[${host}]` : host}:${env.PORT}`;
}
