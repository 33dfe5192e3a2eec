// What the element forms accept, one schema per kind, and the model element each becomes.
// Keys are the forms' field names; repeated rows are arrays ("networks.0.targetName",
// "deps.1.minversion"). Blank optional fields mean "absent", which the ladder distinguishes
// from any value.
import { z } from "zod";
import { isValidEvr } from "../v2v/index.ts";
import type { ElementKind } from "./element-kinds.ts";
import type { LayerApp, LayerCapability, LayerNetwork, LayerProfile } from "./layer-model.ts";

export type TNetworkInput = { sourceType?: string; sourceName?: string; targetType?: string; targetName?: string };
export type TProfileInput = { name?: string; method?: string; location?: string; format?: string; allocation?: string; networks?: TNetworkInput[] };
export type TDepInput = { name?: string; minversion?: string; ifinstalled?: string | boolean };
type TMatchInput = { name?: string; os?: string; distro?: string; major?: string; minor?: string; arch?: string };
export type TCapabilityInput = TMatchInput & { deps?: TDepInput[] };
/** deps: a list of app names, or one text of names separated by spaces, commas or lines. */
export type TAppInput = TMatchInput & { path?: string; deps?: string[] | string };
export type ElementInput = { profile: TProfileInput; network: TNetworkInput; capability: TCapabilityInput; app: TAppInput };

const blank = (v: unknown) => (v === null || (typeof v === "string" && v.trim() === "") ? undefined : v);

function required(label: string, max = 200, missing = `${label} is required.`) {
  return z.preprocess(
    blank,
    z
      .string({ error: missing })
      .trim()
      .max(max, { error: `${label} is too long (at most ${max} characters).`, abort: true }),
  );
}

function token(label: string, max = 100) {
  return required(label, max).pipe(z.string().regex(/^\S+$/, `${label} must not contain spaces.`));
}

function optionalToken(label: string, max = 100) {
  return z.preprocess(blank, z.string().trim().max(max, { error: `${label} is too long (at most ${max} characters).`, abort: true }).regex(/^\S+$/, `${label} must not contain spaces.`).optional());
}

function optionalNumber(label: string, example: string) {
  return z.preprocess(blank, z.string().trim().regex(/^\d{1,9}$/, `${label} must be a whole number, such as ${example}.`).optional());
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T, message: string) {
  return z.preprocess(blank, z.enum(values, { error: message }));
}

function optionalOneOf<const T extends readonly [string, ...string[]]>(values: T, message: string) {
  return z.preprocess(blank, z.enum(values, { error: message }).optional());
}

const matchFields = {
  name: token("Name"),
  os: token("OS"),
  distro: optionalToken("Distro"),
  major: optionalNumber("Major", "5"),
  minor: optionalNumber("Minor", "3"),
  arch: optionalToken("Arch"),
};

const MINOR_WITHOUT_MAJOR = "Minor needs a major version too: no rung of the matching ladder matches an element with a minor but no major.";

export const ZNetworkInput = z
  .object({
    sourceType: oneOf(["bridge", "network", "default"], "Source type must be bridge, network or default."),
    sourceName: z.preprocess(blank, z.string().trim().max(200, "Source name is too long (at most 200 characters).").optional()),
    targetType: oneOf(["bridge", "network"], "Target type must be bridge or network."),
    targetName: required("Target name"),
  })
  .superRefine((n, ctx) => {
    if (n.sourceType !== "default" && n.sourceName === undefined) {
      ctx.addIssue({ code: "custom", path: ["sourceName"], message: `Source name is required: the name of the source ${n.sourceType} this mapping applies to.` });
    }
  })
  .transform(
    (n): LayerNetwork => ({ type: n.sourceType, name: n.sourceType === "default" ? undefined : n.sourceName, target: { type: n.targetType, name: n.targetName } }),
  );

export const ZProfileInput = z
  .object({
    name: token("Name"),
    method: oneOf(["libvirt", "local", "rhev"], "Method must be libvirt, local or rhev."),
    location: required("Storage", 1000, "Storage is required: a storage pool (libvirt), a directory (local) or host:/path (rhev)."),
    format: optionalOneOf(["raw", "qcow2"], "Format must be raw or qcow2."),
    allocation: optionalOneOf(["sparse", "preallocated"], "Allocation must be sparse or preallocated."),
    networks: z.array(ZNetworkInput).max(500).default([]),
  })
  .superRefine((p, ctx) => {
    if (p.method === "rhev" && !/^[^\s:/]+:\/\S*$/.test(p.location)) {
      ctx.addIssue({ code: "custom", path: ["location"], message: "Storage for rhev is an NFS export domain, written host:/path." });
    }
    if (p.method === "local" && !p.location.startsWith("/")) {
      ctx.addIssue({ code: "custom", path: ["location"], message: "Storage for local is a directory on the agent host, written as an absolute path." });
    }
    if (p.method === "libvirt" && /\s/.test(p.location)) {
      ctx.addIssue({ code: "custom", path: ["location"], message: "Storage for libvirt is the name of a storage pool, without spaces." });
    }
    duplicateNetworks(p.networks, ctx, (i) => ["networks", i, "sourceName"]);
  })
  .transform(
    (p): LayerProfile => ({ name: p.name, method: p.method, storage: { location: p.location, format: p.format, allocation: p.allocation }, networks: p.networks }),
  );

const ifInstalled = z
  .union([z.boolean(), z.string()])
  .optional()
  .transform((v) => (v === true || (typeof v === "string" && ["yes", "1", "on", "true"].includes(v.trim().toLowerCase())) ? "yes" : undefined));

export const ZDepInput = z
  .object({ name: token("Dependency name"), minversion: z.preprocess(blank, z.string().trim().max(200).optional()), ifinstalled: ifInstalled })
  .superRefine((d, ctx) => {
    // The reference's wording (virt-v2v refuses such a config with exactly this message).
    if (d.minversion !== undefined && !isValidEvr(d.minversion)) {
      ctx.addIssue({
        code: "custom",
        path: ["minversion"],
        message: `Unrecognised format for minversion in config: ${d.minversion}. minversion must be in the format [epoch:]version[-release].`,
      });
    }
  });

export const ZCapabilityInput = z
  .object({ ...matchFields, deps: z.array(ZDepInput).max(500).default([]) })
  .superRefine((c, ctx) => {
    if (c.minor !== undefined && c.major === undefined) ctx.addIssue({ code: "custom", path: ["minor"], message: MINOR_WITHOUT_MAJOR });
    if (c.arch !== undefined) {
      ctx.addIssue({ code: "custom", path: ["arch"], message: "Leave arch empty: capabilities are matched without an architecture, so a capability with an arch never matches." });
    }
    const seen = new Map<string, number>();
    c.deps.forEach((d, i) => {
      const first = seen.get(d.name);
      if (first !== undefined) ctx.addIssue({ code: "custom", path: ["deps", i, "name"], message: `${d.name} is already a dependency of this capability (row ${first + 1}).` });
      else seen.set(d.name, i);
    });
  })
  .transform(
    (c): LayerCapability => ({ name: c.name, os: c.os, distro: c.distro, major: c.major, minor: c.minor, arch: undefined, deps: c.deps.map((d) => ({ name: d.name, minversion: d.minversion, ifinstalled: d.ifinstalled })) }),
  );

const appDeps = z
  .union([z.array(z.string()), z.string()])
  .optional()
  .transform((v) => (v === undefined ? [] : (typeof v === "string" ? v.split(/[\s,]+/) : v).map((d) => d.trim()).filter((d) => d !== "")))
  .pipe(z.array(z.string().regex(/^\S+$/, "A dependency is the name of another app, without spaces.").max(100)).max(500));

export const ZAppInput = z
  .object({ ...matchFields, path: required("Path", 4096, "Path is required: a file relative to the layer's path-root, or an absolute path on the agent host."), deps: appDeps })
  .superRefine((a, ctx) => {
    if (a.minor !== undefined && a.major === undefined) ctx.addIssue({ code: "custom", path: ["minor"], message: MINOR_WITHOUT_MAJOR });
    if (a.path.split("/").includes("..")) {
      ctx.addIssue({ code: "custom", path: ["path"], message: "Path must not contain '..': relative paths stay inside the layer's path-root (its software repository)." });
    }
    if (a.deps.includes(a.name)) ctx.addIssue({ code: "custom", path: ["deps"], message: `An app cannot depend on itself (${a.name}).` });
  })
  .transform((a): LayerApp => ({ name: a.name, os: a.os, distro: a.distro, major: a.major, minor: a.minor, arch: a.arch, path: a.path, deps: [...new Set(a.deps)] }));

export const ZPathRoot = z.object({
  pathRoot: z.preprocess(
    blank,
    z.string().trim().max(4096, "Path root is too long (at most 4096 characters).").startsWith("/", "Path root is an absolute directory, such as /var/lib/virt-v2v/software.").optional(),
  ),
});

export const ELEMENT_SCHEMAS = { profile: ZProfileInput, network: ZNetworkInput, capability: ZCapabilityInput, app: ZAppInput } as const satisfies Record<ElementKind, z.ZodType>;

function duplicateNetworks(list: LayerNetwork[], ctx: z.RefinementCtx, path: (i: number) => (string | number)[]): void {
  const seen = new Map<string, number>();
  list.forEach((n, i) => {
    const key = n.type === "default" ? "default" : `${n.type} ${n.name}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else ctx.addIssue({ code: "custom", path: n.type === "default" ? path(i).slice(0, -1).concat("sourceType") : path(i), message: n.type === "default" ? `Row ${first + 1} is already the default mapping; only the first default is used.` : `Row ${first + 1} already maps ${key}; only the first mapping is used.` });
  });
}
