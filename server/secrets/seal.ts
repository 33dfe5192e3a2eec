// Authenticated encryption of small secrets with AES-256-GCM: a fresh 12-byte IV per value, the
// key's id stored in the clear so the right key is chosen after a rotation, and a purpose bound
// in as associated data so a ciphertext cannot be moved to another field and still open.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { SecretKey, SecretKeys } from "./key.ts";

const PREFIX = "ferry-sealed:v1";

/** A sealed value that cannot be opened: unknown key, altered, or not a sealed value at all. */
export class SealedValueError extends Error {
  readonly code = "SEALED_VALUE";
  constructor(message: string) {
    super(message);
    this.name = "SealedValueError";
  }
}

const b64 = (b: Buffer) => b.toString("base64url");

/** `ferry-sealed:v1:KEYID:IV:TAG:CIPHERTEXT` (base64url parts). */
export function seal(keys: SecretKeys, plaintext: string, purpose: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keys.current.key, iv);
  cipher.setAAD(Buffer.from(purpose, "utf8"));
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [PREFIX, keys.current.id, b64(iv), b64(cipher.getAuthTag()), b64(data)].join(":");
}

export function isSealed(value: unknown): value is string {
  return typeof value === "string" && value.startsWith(`${PREFIX}:`);
}

/** The id of the key a value was sealed with (for re-sealing after a rotation). */
export function sealedKeyId(sealed: string): string | undefined {
  return isSealed(sealed) ? sealed.split(":")[2] : undefined;
}

export function open(keys: SecretKeys, sealed: string, purpose: string): string {
  const parts = sealed.split(":");
  if (!isSealed(sealed) || parts.length !== 6) throw new SealedValueError(`not a sealed value (expected ${PREFIX}:...)`);
  const [, , id, iv, tag, data] = parts as [string, string, string, string, string, string];
  const key: SecretKey | undefined = [keys.current, ...keys.previous].find((k) => k.id === id);
  if (!key) {
    throw new SealedValueError(
      `the credentials were encrypted with key ${id}, but this host has key ${keys.current.id}` +
        (keys.previous.length ? ` (and previous keys ${keys.previous.map((k) => k.id).join(", ")})` : "") +
        ": set FERRY_SECRET_KEY (or FERRY_SECRET_KEY_PREVIOUS) to the key the console used",
    );
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(purpose, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SealedValueError(`the sealed ${purpose} do not authenticate with key ${id}: they were altered or belong elsewhere`);
  }
}
