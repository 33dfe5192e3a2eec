// The credentials a conversion needs to read its source (an ssh password or private key), as
// the console stores them in conversions.request: one sealed value plus which kinds it holds,
// so pages can say "a private key is stored" without ever having the plaintext.
import { Secret } from "../v2v/domain-xml.ts";
import { loadSecretKeys, type SecretKeys } from "./key.ts";
import { isSealed, open, seal, SealedValueError } from "./seal.ts";

export const CREDENTIAL_KINDS = ["password", "privateKey"] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

/** In memory only: each value prints as *** in logs, JSON and util.inspect. */
export type PlainCredentials = Partial<Record<CredentialKind, Secret>>;
/** What is stored and sent to agents. */
export type SealedCredentials = { sealed: string; kinds: CredentialKind[] };

const PURPOSE = "conversion credentials";

export function isSealedCredentials(value: unknown): value is SealedCredentials {
  return typeof value === "object" && value !== null && isSealed((value as { sealed?: unknown }).sealed);
}

/** Undefined when there is nothing to keep. The console seals (and generates a dev key if it must). */
export function sealCredentials(plain: PlainCredentials, keys: SecretKeys = loadSecretKeys(process.env, { create: true })): SealedCredentials | undefined {
  const kinds = CREDENTIAL_KINDS.filter((k) => plain[k] !== undefined);
  if (kinds.length === 0) return undefined;
  const clear = Object.fromEntries(kinds.map((k) => [k, (plain[k] as Secret).reveal()]));
  return { sealed: seal(keys, JSON.stringify(clear), PURPOSE), kinds };
}

/** On the agent, just before the source is read. */
export function openCredentials(stored: SealedCredentials, keys: SecretKeys = loadSecretKeys(process.env)): PlainCredentials {
  const parsed = JSON.parse(open(keys, stored.sealed, PURPOSE)) as Record<string, unknown>;
  const plain: PlainCredentials = {};
  for (const kind of CREDENTIAL_KINDS) {
    const value = parsed[kind];
    if (value === undefined) continue;
    if (typeof value !== "string") throw new SealedValueError(`the sealed ${PURPOSE} hold a ${kind} that is not text`);
    plain[kind] = new Secret(value);
  }
  return plain;
}
