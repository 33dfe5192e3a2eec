// The console's settings, read once from the environment and checked, so a typo fails at start
// with the variable's name instead of misbehaving later.
import path from "node:path";
import { z } from "zod";

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
});

export type TEnv = z.infer<typeof ZEnv> & { dataDir: string };

export class EnvError extends Error {}

export function readEnv(source: NodeJS.ProcessEnv = process.env): TEnv {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const parsed = ZEnv.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Invalid environment:\n${lines.join("\n")}`);
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.FERRY_DATA_DIR) };
}

export function publicUrl(env: TEnv): string {
  if (env.FERRY_PUBLIC_URL) return env.FERRY_PUBLIC_URL.replace(/\/$/, "");
  const host = env.HOST === "0.0.0.0" || env.HOST === "::" ? "127.0.0.1" : env.HOST;
  return `http://${host.includes(":") ? `[${host}]` : host}:${env.PORT}`;
}
