// Inputs for the planner tests: the fixtures under test/fixtures/plan, a host where only the
// listed paths exist, and UUIDs counted up for determinism.
import { readFileSync } from "node:fs";
import {
  parseConfig,
  parseDomainXml,
  parseGuestFacts,
  type ConfigFile,
  type GuestFacts,
  type MeasuredDisk,
  type OutputTarget,
  type PlanInput,
  type SourceGuest,
} from "../../../server/v2v/index.ts";
import { vendorDb } from "./helpers.ts";

export const PLAN_FIX = new URL("../../fixtures/plan/", import.meta.url);

export function planFixture(name: string): string {
  return readFileSync(new URL(name, PLAN_FIX), "utf8");
}

export function guestOf(name: string): SourceGuest {
  return parseDomainXml(planFixture(name), name);
}

export function factsOf(name: string): GuestFacts {
  const r = parseGuestFacts(JSON.parse(planFixture(name)));
  if (!r.ok) throw new Error(r.problems.join("; "));
  return r.facts;
}

export function layer(name: string, as = name): ConfigFile {
  return parseConfig(planFixture(name), as);
}

/** site.conf, then the vendor database. */
export function siteStack(): ConfigFile[] {
  return [layer("site.conf"), vendorDb()];
}

export const SD = "11111111-2222-3333-4444-555555555555";

export function ids(): () => string {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`;
}

export function hostWith(paths: readonly string[]): (p: string) => boolean {
  const set = new Set(paths);
  return (p) => set.has(p);
}

export const GUESTS_POOL = { name: "guests", type: "dir", path: "/var/lib/libvirt/images" };

export function libvirtTarget(extra: Partial<OutputTarget> = {}): OutputTarget {
  return { method: "libvirt", uri: "qemu:///system", storage: "guests", pool: GUESTS_POOL, networks: ["default", "lan"], ...extra };
}

export function measured(guest: SourceGuest, sizes: Partial<MeasuredDisk>[] = []): MeasuredDisk[] {
  return guest.disks.map((d, i) => ({
    path: d.path,
    format: d.format ?? "raw",
    virtualSize: 8 * 1024 ** 3,
    actualSize: 8 * 1024 ** 3,
    ...sizes[i],
  }));
}

export function baseInput(over: Partial<PlanInput> & Pick<PlanInput, "guest" | "facts" | "target">): PlanInput {
  return {
    files: siteStack(),
    disks: measured(over.guest),
    options: {},
    exists: () => false,
    newId: ids(),
    now: () => 1_700_000_000,
    ...over,
  };
}
