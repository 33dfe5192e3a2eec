// Profiles and network mappings across the whole stack in search order, each marked with what
// virt-v2v does with it: used, or shadowed by an earlier one (and by which layer). Pure: the
// pages pass the stack in. Precedence follows the core (findProfile, createNetworkContext,
// mapNetwork): first layer, then document order.
import type { NetworkMapping, Profile } from "@/server/v2v/model";

export type OverviewLayer<T> = { layerId: string; layerName: string; items: readonly T[] };

type Placed<T> = { layerId: string; layerName: string; layerPosition: number; index: number; item: T };

export type ProfileRow = Placed<Profile> & {
  status: "used" | "shadowed" | "duplicate" | "unnamed";
  /** The layer holding the profile that wins over this one. */
  shadowedBy?: string;
  /** What virt-v2v refuses when the profile is selected. */
  problems: string[];
};

export type NetworkRow = Placed<NetworkMapping> & {
  isDefault: boolean;
  status: "used" | "shadowed" | "ignored" | "invalid";
  shadowedBy?: string;
  note?: string;
};

function place<T>(layers: readonly OverviewLayer<T>[]): Placed<T>[] {
  return layers.flatMap((l, i) => l.items.map((item, index) => ({ layerId: l.layerId, layerName: l.layerName, layerPosition: i + 1, index, item })));
}

export function profileRows(layers: readonly OverviewLayer<Profile>[]): ProfileRow[] {
  const first = new Map<string, Placed<Profile>>();
  return place(layers).map((p) => {
    const problems: string[] = [];
    if (p.item.method === undefined) problems.push("no method: virt-v2v refuses the profile");
    if (p.item.storage?.location === undefined) problems.push("no storage: virt-v2v refuses the profile");
    const name = p.item.name;
    if (name === undefined) return { ...p, status: "unnamed", problems: [...problems, "no name: it cannot be selected"] };
    const winner = first.get(name);
    if (!winner) {
      first.set(name, p);
      return { ...p, status: "used", problems };
    }
    if (winner.layerPosition === p.layerPosition) return { ...p, status: "duplicate", shadowedBy: winner.layerName, problems };
    return { ...p, status: "shadowed", shadowedBy: winner.layerName, problems };
  });
}

export function networkRows(layers: readonly OverviewLayer<NetworkMapping>[]): NetworkRow[] {
  let defaultWinner: Placed<NetworkMapping> | undefined;
  const specific = new Map<string, Placed<NetworkMapping>>();
  return place(layers).map((n) => {
    const m = n.item;
    if (m.type === "default") {
      if (defaultWinner) return { ...n, isDefault: true, status: "shadowed", shadowedBy: defaultWinner.layerName };
      defaultWinner = n;
      if (!m.target) return { ...n, isDefault: true, status: "invalid", note: "A default without a mapping: virt-v2v stops with an error." };
      if (m.target.type === undefined || m.target.name === undefined) return { ...n, isDefault: true, status: "invalid", note: "The target lacks a type or name: virt-v2v warns and has no default." };
      return { ...n, isDefault: true, status: "used" };
    }
    if (!m.target) return { ...n, isDefault: false, status: "ignored", note: "No target mapping: never used." };
    if (m.type === undefined || m.name === undefined) return { ...n, isDefault: false, status: "ignored", note: "The source lacks a type or name: no NIC matches it." };
    const key = `${m.type}\u0000${m.name}`;
    const winner = specific.get(key);
    if (winner) return { ...n, isDefault: false, status: "shadowed", shadowedBy: winner.layerName };
    specific.set(key, n);
    if (m.target.type === undefined || m.target.name === undefined) return { ...n, isDefault: false, status: "invalid", note: "The target lacks a type or name: the NIC is left unchanged, with a warning." };
    return { ...n, isDefault: false, status: "used" };
  });
}
