// The key that signs session cookies: FERRY_SECRET when set (several console processes must
// share it), otherwise one generated at first start and kept in FERRY_DATA_DIR.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export function authSecret(): string {
  if (process.env.FERRY_SECRET) return process.env.FERRY_SECRET;
  const dir = path.resolve(/*turbopackIgnore: true*/ process.env.FERRY_DATA_DIR ?? "./.ferry");
  const file = path.join(dir, "secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString("base64url");
  try {
    writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
    return secret;
  } catch (e) {
    // Another process wrote it first: use theirs.
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(file, "utf8").trim();
    throw e;
  }
}
