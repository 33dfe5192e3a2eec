// The attributes the ladder compares, in virt-v2v's order, and short renderings of an element.
import type { MatchAttrs } from "@/server/v2v/model";

export const ATTRS = ["name", "os", "distro", "major", "minor", "arch"] as const;
export type Attr = (typeof ATTRS)[number];

/** "distro=rhel major=5 arch=x86_64": what tells elements of the same name apart. */
export function attrSummary(e: MatchAttrs): string {
  const parts = (["os", "distro", "major", "minor", "arch"] as const).flatMap((a) => (e[a] === undefined ? [] : [`${a}=${e[a]}`]));
  return parts.length ? parts.join(" ") : "no attributes";
}

/** The element's opening tag as virt-v2v.conf writes it. */
export function openingTag(e: MatchAttrs): { attr: Attr; value: string }[] {
  return (["os", "distro", "major", "minor", "arch", "name"] as const).flatMap((a) => (e[a] === undefined ? [] : [{ attr: a, value: e[a] }]));
}

export function layerHref(layerId: string, anchor: string): string {
  return `/configuration/${layerId}#${anchor}`;
}

export function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${s}`;
}
