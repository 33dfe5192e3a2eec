// The credentials key and the sealed values: AES-256-GCM with the key's id beside the
// ciphertext, rotation through FERRY_SECRET_KEY_PREVIOUS, a generated key only where the
// console may keep one, and a clear start-up error where it may not.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { EnvError, readEnv } from "../../../server/env.ts";
import { openCredentials, sealCredentials } from "../../../server/secrets/credentials.ts";
import { KEY_FILE, loadSecretKeys, SecretKeyError } from "../../../server/secrets/key.ts";
import { open, seal, SealedValueError } from "../../../server/secrets/seal.ts";
import { Secret } from "../../../server/v2v/domain-xml.ts";

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), "ferry-secrets-"));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const keyA = randomBytes(32).toString("base64");
const keyB = randomBytes(32).toString("hex");
const PLANTED = "pl4nted-S3cret-pw";

describe("sealing", () => {
  test("round trip; the ciphertext holds neither the text nor the key, and differs each time", () => {
    const keys = loadSecretKeys({ FERRY_SECRET_KEY: keyA });
    const a = seal(keys, PLANTED, "test");
    const b = seal(keys, PLANTED, "test");
    expect(a).not.toBe(b);
    expect(a).toMatch(new RegExp(`^ferry-sealed:v1:${keys.current.id}:`));
    expect(a).not.toContain(PLANTED);
    expect(a).not.toContain(keyA);
    expect(open(keys, a, "test")).toBe(PLANTED);
  });

  test("altered, moved to another purpose, or sealed with another key: refused with the reason", () => {
    const keys = loadSecretKeys({ FERRY_SECRET_KEY: keyA });
    const sealed = seal(keys, PLANTED, "test");
    const parts = sealed.split(":");
    parts[5] = Buffer.from("x".repeat(PLANTED.length)).toString("base64url");
    expect(() => open(keys, parts.join(":"), "test")).toThrow("the sealed test do not authenticate");
    expect(() => open(keys, sealed, "other")).toThrow(SealedValueError);
    const other = loadSecretKeys({ FERRY_SECRET_KEY: keyB });
    expect(() => open(other, sealed, "test")).toThrow(`the credentials were encrypted with key ${keys.current.id}, but this host has key ${other.current.id}`);
    expect(() => open(keys, "hunter2", "test")).toThrow("not a sealed value");
  });

  test("rotation: the new key seals, the previous one still opens old values", () => {
    const old = seal(loadSecretKeys({ FERRY_SECRET_KEY: keyA }), PLANTED, "test");
    const rotated = loadSecretKeys({ FERRY_SECRET_KEY: keyB, FERRY_SECRET_KEY_PREVIOUS: keyA });
    expect(open(rotated, old, "test")).toBe(PLANTED);
    expect(seal(rotated, "x", "test").split(":")[2]).toBe(rotated.current.id);
  });

  test("credentials: only the kinds are readable; Secrets print *** everywhere", () => {
    const keys = loadSecretKeys({ FERRY_SECRET_KEY: keyA });
    const stored = sealCredentials({ password: new Secret(PLANTED) }, keys)!;
    expect(stored.kinds).toEqual(["password"]);
    expect(JSON.stringify(stored)).not.toContain(PLANTED);
    const opened = openCredentials(stored, keys);
    expect(opened.password?.reveal()).toBe(PLANTED);
    expect(JSON.stringify(opened)).toBe('{"password":"***"}');
    expect(`${opened.password}`).toBe("***");
    expect(sealCredentials({}, keys)).toBeUndefined();
  });
});

describe("the key", () => {
  test("malformed keys name the variable and how to make one", () => {
    expect(() => loadSecretKeys({ FERRY_SECRET_KEY: "short" })).toThrow("FERRY_SECRET_KEY must be 32 random bytes as base64 or 64 hex digits (generate one with: openssl rand -base64 32)");
    expect(() => loadSecretKeys({ FERRY_SECRET_KEY: keyA, FERRY_SECRET_KEY_PREVIOUS: `${keyB},nope` })).toThrow("FERRY_SECRET_KEY_PREVIOUS (entry 2) must be 32 random bytes");
  });

  test("without FERRY_SECRET_KEY on the embedded database: generated once into FERRY_DATA_DIR/secret-key (0600), then reused", () => {
    const dir = tempDir();
    const first = loadSecretKeys({ FERRY_DATA_DIR: dir, NODE_ENV: "production" }, { create: true });
    const file = path.join(dir, KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadSecretKeys({ FERRY_DATA_DIR: dir }).current.id).toBe(first.current.id);
    expect(readFileSync(file, "utf8").trim()).toHaveLength(44);
  });

  test("an agent without the key and without the console's key file: a clear error, no key made up", () => {
    const dir = tempDir();
    expect(() => loadSecretKeys({ FERRY_DATA_DIR: dir })).toThrow(SecretKeyError);
    expect(() => loadSecretKeys({ FERRY_DATA_DIR: dir })).toThrow("No credentials key on this host: set FERRY_SECRET_KEY to the console's key");
  });

  test("production on an external database without FERRY_SECRET_KEY: a start-up error that says what to do", () => {
    const env = { NODE_ENV: "production", DATABASE_URL: "postgresql://ferry:x@db.example:5432/ferry", FERRY_DATA_DIR: tempDir() } as NodeJS.ProcessEnv;
    expect(() => readEnv(env)).toThrow(EnvError);
    expect(() => readEnv(env)).toThrow("FERRY_SECRET_KEY is not set. In production with an external database every console and agent must share the key");
    expect(() => loadSecretKeys(env, { create: true })).toThrow(SecretKeyError);
    expect(() => readEnv({ ...env, FERRY_SECRET_KEY: keyA })).not.toThrow();
    expect(() => readEnv({ FERRY_SECRET_KEY: "nope" } as unknown as NodeJS.ProcessEnv)).toThrow("FERRY_SECRET_KEY must be 32 random bytes");
    // The key is checked, never kept in the settings object other modules see.
    expect(JSON.stringify(readEnv({ ...env, FERRY_SECRET_KEY: keyA }))).not.toContain(keyA);
  });
});
