// The name a layer's export gets: its place in the search order, then its name ("01-site.conf"),
// the same names as the whole stack's export, so `-f 01-site.conf -f 02-vendor.conf` reads in order.
import { layerFileName } from "@/server/config/export-layer";

export function stackFileName(index: number, count: number, name: string): string {
  const width = Math.max(2, String(count).length);
  return `${String(index + 1).padStart(width, "0")}-${layerFileName(name)}`;
}
