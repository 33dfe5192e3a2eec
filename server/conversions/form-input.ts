// The new-conversion form's flat fields -> the nested request the schema checks. Row fields
// keep their index ("network.2", "source.disks.1.to") so error keys match the form's inputs.
import type { TConversionRequestInput } from "./request.ts";

function rows(fields: Record<string, string>, prefix: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`^${prefix.replace(/\./g, "\\.")}\\.(\\d+)$`);
  for (const [key, value] of Object.entries(fields)) {
    const m = re.exec(key);
    if (m) out[Number(m[1])] = value;
  }
  return Array.from(out, (v) => v ?? "");
}

function diskOverrides(fields: Record<string, string>): Record<string, string> | undefined {
  const byRow = new Map<number, { from?: string; to?: string }>();
  for (const [key, value] of Object.entries(fields)) {
    const m = /^source\.disks\.(\d+)\.(from|to)$/.exec(key);
    if (!m) continue;
    const row = byRow.get(Number(m[1])) ?? {};
    row[m[2] as "from" | "to"] = value.trim();
    byRow.set(Number(m[1]), row);
  }
  const out: Record<string, string> = {};
  for (const row of byRow.values()) if (row.from) out[row.from] = row.to ?? "";
  return Object.keys(out).length ? out : undefined;
}

export function requestFromForm(fields: Record<string, string>): TConversionRequestInput {
  const method = fields["source.method"];
  const source =
    method === "libvirt"
      ? { method: "libvirt" as const, uri: fields["source.uri"], guest: fields["source.guest"] }
      : { method: (method || "libvirtxml") as "libvirtxml", xml: fields["source.xml"], fileName: fields["source.fileName"], disks: diskOverrides(fields) };
  return {
    source: source as TConversionRequestInput["source"],
    output: {
      method: fields["output.method"],
      uri: fields["output.uri"],
      storage: fields["output.storage"],
      format: fields["output.format"],
      allocation: fields["output.allocation"],
      name: fields["output.name"],
    },
    profile: fields.profile,
    network: rows(fields, "network"),
    bridge: rows(fields, "bridge"),
    dryRun: fields.dryRun ?? "true",
  };
}
