// A layer's configuration as a revision stores it: the core's ConfigFile without the file name,
// warnings and source positions (they belong to a text, and a revision is not one). Absent
// attributes stay absent, never "": the matching ladder tells them apart.
import { z } from "zod";
import type { App, Capability, CapabilityDep, ConfigFile, NetworkMapping, NetworkTarget, Profile, Storage } from "../v2v/index.ts";
import type { Prisma } from "../db/generated/client.ts";

type Plain<T> = Omit<T, "at">;
export type LayerTarget = Plain<NetworkTarget>;
export type LayerNetwork = Omit<Plain<NetworkMapping>, "target"> & { target: LayerTarget | undefined };
export type LayerStorage = Plain<Storage>;
export type LayerProfile = Omit<Plain<Profile>, "storage" | "networks"> & { storage: LayerStorage | undefined; networks: LayerNetwork[] };
export type LayerDep = Plain<CapabilityDep>;
export type LayerCapability = Omit<Plain<Capability>, "deps"> & { deps: LayerDep[] };
export type LayerApp = Plain<App>;

export type LayerModel = {
  pathRoot: string | undefined;
  isoPath: string | undefined;
  profiles: LayerProfile[];
  networks: LayerNetwork[];
  capabilities: LayerCapability[];
  apps: LayerApp[];
};

export function emptyModel(): LayerModel {
  return { pathRoot: undefined, isoPath: undefined, profiles: [], networks: [], capabilities: [], apps: [] };
}

// Built key by key in a fixed order, so JSON.stringify of a model is canonical (see modelKey).
function target(t: NetworkTarget | LayerTarget | undefined): LayerTarget | undefined {
  return t === undefined ? undefined : { type: t.type, name: t.name };
}

export function toLayerNetwork(n: NetworkMapping | LayerNetwork): LayerNetwork {
  return { type: n.type, name: n.name, target: target(n.target) };
}

export function toLayerProfile(p: Profile | LayerProfile): LayerProfile {
  const storage = p.storage === undefined ? undefined : { location: p.storage.location, format: p.storage.format, allocation: p.storage.allocation };
  return { name: p.name, method: p.method, storage, networks: p.networks.map(toLayerNetwork) };
}

export function toLayerCapability(c: Capability | LayerCapability): LayerCapability {
  return {
    name: c.name, os: c.os, distro: c.distro, major: c.major, minor: c.minor, arch: c.arch,
    deps: c.deps.map((d) => ({ name: d.name, minversion: d.minversion, ifinstalled: d.ifinstalled })),
  };
}

export function toLayerApp(a: App | LayerApp): LayerApp {
  return { name: a.name, os: a.os, distro: a.distro, major: a.major, minor: a.minor, arch: a.arch, path: a.path, deps: [...a.deps] };
}

/** The stored form of a parsed file (or a copy of a model, normalised). */
export function toLayerModel(config: ConfigFile | LayerModel): LayerModel {
  return {
    pathRoot: config.pathRoot,
    isoPath: config.isoPath,
    profiles: config.profiles.map(toLayerProfile),
    networks: config.networks.map(toLayerNetwork),
    capabilities: config.capabilities.map(toLayerCapability),
    apps: config.apps.map(toLayerApp),
  };
}

/** The model as the core takes it: `file` names the layer in the core's messages. */
export function toConfigFile(model: LayerModel, file: string): ConfigFile {
  return { file, ...toLayerModel(model), warnings: [] };
}

/** A canonical text of the model: equal texts, equal models. */
export function modelKey(model: LayerModel): string {
  return JSON.stringify(toLayerModel(model));
}

export function sameModel(a: LayerModel, b: LayerModel): boolean {
  return modelKey(a) === modelKey(b);
}

export function modelJson(model: LayerModel): Prisma.InputJsonValue {
  return JSON.parse(modelKey(model)) as Prisma.InputJsonValue;
}

// What a JSONB column gives back: absent keys for absent attributes.
const s = z.string().optional();
const ZStoredTarget = z.object({ type: s, name: s });
const ZStoredNetwork = z.object({ type: s, name: s, target: ZStoredTarget.optional() });
const ZStoredModel = z.object({
  pathRoot: s,
  isoPath: s,
  profiles: z.array(z.object({ name: s, method: s, storage: z.object({ location: s, format: s, allocation: s }).optional(), networks: z.array(ZStoredNetwork) })),
  networks: z.array(ZStoredNetwork),
  capabilities: z.array(z.object({ name: s, os: s, distro: s, major: s, minor: s, arch: s, deps: z.array(z.object({ name: z.string(), minversion: s, ifinstalled: s })) })),
  apps: z.array(z.object({ name: s, os: s, distro: s, major: s, minor: s, arch: s, path: z.string(), deps: z.array(z.string()) })),
});

/** Reads a revision's stored model; a row that is not a model is a bug, not user input. */
export function readStoredModel(json: unknown): LayerModel {
  const parsed = ZStoredModel.safeParse(json);
  if (!parsed.success) throw new Error(`a stored configuration revision is not a valid model: ${parsed.error.message}`);
  const m = parsed.data;
  return toLayerModel({
    pathRoot: m.pathRoot,
    isoPath: m.isoPath,
    profiles: m.profiles.map((p) => ({ name: p.name, method: p.method, storage: p.storage && { location: p.storage.location, format: p.storage.format, allocation: p.storage.allocation }, networks: p.networks.map(storedNetwork) })),
    networks: m.networks.map(storedNetwork),
    capabilities: m.capabilities.map((c) => ({ name: c.name, os: c.os, distro: c.distro, major: c.major, minor: c.minor, arch: c.arch, deps: c.deps.map((d) => ({ name: d.name, minversion: d.minversion, ifinstalled: d.ifinstalled })) })),
    apps: m.apps.map((a) => ({ name: a.name, os: a.os, distro: a.distro, major: a.major, minor: a.minor, arch: a.arch, path: a.path, deps: a.deps })),
  });
}

function storedNetwork(n: { type?: string | undefined; name?: string | undefined; target?: { type?: string | undefined; name?: string | undefined } | undefined }): LayerNetwork {
  return { type: n.type, name: n.name, target: n.target && { type: n.target.type, name: n.target.name } };
}
