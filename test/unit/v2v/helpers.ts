// Shared test helpers: inline configs and the vendor database.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseConfig, type ConfigFile } from "../../../server/v2v/index.ts";

export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

export function conf(body: string, file = "test.conf"): ConfigFile {
  return parseConfig(`<virt-v2v>\n${body}\n</virt-v2v>\n`, file);
}

export function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/v2v/${name}`, import.meta.url), "utf8");
}

export const VENDOR_DB_PATH = "server/v2v/vendor/virt-v2v.db.xml";

export function vendorDb(): ConfigFile {
  return parseConfig(readFileSync(`${repoRoot}${VENDOR_DB_PATH}`, "utf8"), "virt-v2v.db");
}

/** The model without source positions (what a round trip must preserve). */
export function withoutPositions<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === "at" ? undefined : v))) as T;
}
