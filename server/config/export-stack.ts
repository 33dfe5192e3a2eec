// Every layer as a virt-v2v.conf file, in search order: give them to virt-v2v as
// -f 01-site.conf -f 02-vendor.conf ... to get the same matching as the console.
import type { Db } from "../db/client.ts";
import { exportText, layerFileName } from "./export-layer.ts";
import { getStack } from "./get-stack.ts";
import { toLayerModel } from "./layer-model.ts";

export type ExportedFile = { name: string; fileName: string; text: string };

export async function exportStack(client: Db): Promise<ExportedFile[]> {
  const stack = await getStack(client);
  const width = String(stack.length).length < 2 ? 2 : String(stack.length).length;
  return stack.map((entry, i) => ({
    name: entry.name,
    fileName: `${String(i + 1).padStart(width, "0")}-${layerFileName(entry.name)}`,
    text: exportText(entry.name, entry.revision, toLayerModel(entry.config), `searched ${ordinal(i + 1)} of ${stack.length}`),
  }));
}

function ordinal(n: number): string {
  const tail = n % 100 >= 11 && n % 100 <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${tail}`;
}
