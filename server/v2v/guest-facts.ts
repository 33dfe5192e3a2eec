// What the software planner needs to know about a guest (virt-inspector's findings), and
// the zod schema that checks the JSON form at the boundary (FACTS.json, the engine).
import { z } from "zod";

export type InstalledPackage = {
  name: string;
  epoch: string | null;
  version: string;
  release: string | null;
  arch: string | null;
};

export type BootKernel = InstalledPackage & { xen: boolean };

export type GuestFacts = {
  os: string;
  distro: string | undefined;
  major: string | undefined;
  minor: string | undefined;
  /** Userspace architecture (inspect_get_arch: i386 for 32-bit x86). */
  arch: string | undefined;
  kernel: BootKernel | undefined;
  packages: InstalledPackage[];
  /** Guest memory; picks RHEL 4 / SLES replacement kernels. */
  memoryKiB: number | undefined;
  vcpus: number | undefined;
};

const ZEpoch = z
  .union([z.string().regex(/^[0-9]*$/, "epoch must be digits"), z.number().int().nonnegative()])
  .nullable()
  .optional()
  .transform((v) => (v === undefined || v === null || v === "" ? null : String(v)));

const ZVersionPart = z
  .union([z.string().min(1), z.number().nonnegative()])
  .transform((v) => String(v));

const ZOptionalText = z
  .union([z.string(), z.number()])
  .nullable()
  .optional()
  .transform((v) => (v === undefined || v === null || v === "" ? undefined : String(v)));

const ZPackage = z.object({
  name: z.string().min(1),
  epoch: ZEpoch,
  version: ZVersionPart,
  release: ZOptionalText.transform((v) => v ?? null),
  arch: ZOptionalText.transform((v) => v ?? null),
});

export const ZGuestFacts = z.object({
  os: z.string().min(1),
  distro: ZOptionalText,
  major: ZOptionalText,
  minor: ZOptionalText,
  arch: ZOptionalText,
  kernel: ZPackage.extend({ xen: z.boolean().default(false) })
    .nullable()
    .optional()
    .transform((v) => v ?? undefined),
  packages: z.array(ZPackage).default([]),
  memoryKiB: z.number().nonnegative().optional(),
  vcpus: z.number().int().positive().optional(),
});

export type TGuestFactsInput = z.input<typeof ZGuestFacts>;

export type GuestFactsResult = { ok: true; facts: GuestFacts } | { ok: false; problems: string[] };

/** Checks and normalises FACTS.json content (numbers become strings, null becomes absent). */
export function parseGuestFacts(json: unknown): GuestFactsResult {
  const result = ZGuestFacts.safeParse(json);
  if (result.success) {
    const { memoryKiB, vcpus, ...rest } = result.data;
    return { ok: true, facts: { ...rest, memoryKiB, vcpus } };
  }
  return {
    ok: false,
    problems: result.error.issues.map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`),
  };
}
