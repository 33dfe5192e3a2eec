// The key that encrypts credentials at rest (AES-256-GCM): FERRY_SECRET_KEY, 32 random bytes as
// base64 or 64 hex digits (`openssl rand -base64 32`). Older keys stay readable through
// FERRY_SECRET_KEY_PREVIOUS (comma-separated) while a rotation is under way. Without
// FERRY_SECRET_KEY, a console on its embedded database generates one into
// FERRY_DATA_DIR/secret-key (0600); a production console on an external database refuses to
// start (several consoles and agents must share one key, which a per-directory file cannot be).
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** NodeJS.ProcessEnv without its required NODE_ENV. */
type Env = Record<string, string | undefined>;

export type SecretKey = { id: string; key: Buffer; source: string };
export type SecretKeys = { current: SecretKey; previous: SecretKey[] };

/** A key that is missing where it is required, or malformed. */
export class SecretKeyError extends Error {
  readonly code = "SECRET_KEY";
  constructor(message: string) {
    super(message);
    this.name = "SecretKeyError";
  }
}

export const KEY_FILE = "secret-key";

/** Short, non-reversible name of a key, stored beside each ciphertext so the right key is picked. */
export function keyId(key: Buffer): string {
  return createHash("sha256").update("ferry-secret-key-id\0").update(key).digest("hex").slice(0, 12);
}

/** 32 bytes from base64/base64url (44 or 43 characters) or hex (64 digits); the message says which variable is wrong. */
export function parseKey(text: string, variable: string): SecretKey {
  const value = text.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-f]{64}$/i.test(value)) key = Buffer.from(value, "hex");
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) key = Buffer.from(value.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  if (!key || key.length !== 32) {
    throw new SecretKeyError(`${variable} must be 32 random bytes as base64 or 64 hex digits (generate one with: openssl rand -base64 32)`);
  }
  return { id: keyId(key), key, source: variable };
}

/** True when a missing FERRY_SECRET_KEY is a start-up error: production mode on an external database. */
export function keyRequired(env: Env): boolean {
  return env.NODE_ENV === "production" && Boolean(env.DATABASE_URL);
}

export const MISSING_KEY_MESSAGE =
  "FERRY_SECRET_KEY is not set. In production with an external database every console and agent must share the key " +
  "that encrypts conversion credentials: generate one with `openssl rand -base64 32` and set FERRY_SECRET_KEY to it " +
  "on each console and agent host.";

function keyFile(env: Env): string {
  return path.join(path.resolve(/*turbopackIgnore: true*/ env.FERRY_DATA_DIR ?? "./.ferry"), KEY_FILE);
}

function generatedKey(env: Env, create: boolean): SecretKey | undefined {
  const file = keyFile(env);
  if (existsSync(file)) return parseKey(readFileSync(file, "utf8"), file);
  if (!create) return undefined;
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, randomBytes(32).toString("base64") + "\n", { mode: 0o600, flag: "wx" });
  } catch (e) {
    // Another process wrote it first: use theirs.
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  return parseKey(readFileSync(file, "utf8"), file);
}

/**
 * The keys in force. `create`: generate FERRY_DATA_DIR/secret-key when no key is configured
 * (the console sealing credentials); agents only open, and a missing key is then an error.
 */
export function loadSecretKeys(env: Env = process.env, options: { create?: boolean } = {}): SecretKeys {
  const previous = (env.FERRY_SECRET_KEY_PREVIOUS ?? "")
    .split(",")
    .filter((v) => v.trim() !== "")
    .map((v, i) => parseKey(v, `FERRY_SECRET_KEY_PREVIOUS (entry ${i + 1})`));
  if (env.FERRY_SECRET_KEY) return { current: parseKey(env.FERRY_SECRET_KEY, "FERRY_SECRET_KEY"), previous };
  if (keyRequired(env)) throw new SecretKeyError(MISSING_KEY_MESSAGE);
  const generated = generatedKey(env, options.create ?? false);
  if (!generated) {
    throw new SecretKeyError(
      `No credentials key on this host: set FERRY_SECRET_KEY to the console's key (or its ${keyFile(env)} when the console generated one).`,
    );
  }
  return { current: generated, previous };
}
