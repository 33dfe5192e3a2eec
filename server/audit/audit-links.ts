// Where an audit record's target lives in the console: the conversion, the configuration
// layer at the revision the change made, the user list, the agent, the repository.
import type { Db } from "../db/client.ts";

export type AuditTarget = { targetType: string; targetId: string | null; before: unknown; after: unknown };
export type AuditLink = { href: string; label: string };
export type TargetNames = { conversions: Map<string, { number: number; guestName: string }>; layers: Map<string, string> };

const field = (v: unknown, k: string): unknown => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === "number" && Number.isInteger(v) ? v : undefined);

/** Null when the target has no page (or is gone: a deleted layer has no page to open). */
export function auditLink(r: AuditTarget, names: TargetNames): AuditLink | null {
  const id = r.targetId;
  switch (r.targetType) {
    case "conversion": {
      if (!id) return null;
      const c = names.conversions.get(id);
      return { href: `/conversions/${id}`, label: c ? `#${c.number} ${c.guestName}` : `conversion ${id.slice(0, 8)}` };
    }
    case "layer": {
      if (!id) return { href: "/configuration", label: "layer order" };
      const name = names.layers.get(id);
      if (!name) return null;
      const revision = int(field(r.after, "revision")) ?? int(field(r.before, "revision"));
      return revision ? { href: `/configuration/${id}?revision=${revision}#history`, label: `${name} revision ${revision}` } : { href: `/configuration/${id}`, label: name };
    }
    case "user":
      return { href: "/users", label: str(field(r.after, "email")) ?? str(field(r.before, "email")) ?? "user" };
    case "agent":
    case "agent-token":
      return { href: "/agents", label: str(field(r.after, "name")) ?? str(field(r.before, "name")) ?? r.targetType };
    case "repository":
      return id ? { href: `/software?repository=${id}`, label: str(field(r.after, "name")) ?? str(field(r.before, "name")) ?? "repository" } : null;
    default:
      return null;
  }
}

/** The names the links show, for the records of one page (two queries whatever the page size). */
export async function targetNames(client: Db, rows: AuditTarget[]): Promise<TargetNames> {
  const ids = (type: string) => [...new Set(rows.filter((r) => r.targetType === type && r.targetId).map((r) => r.targetId!))];
  const [conversions, layers] = await Promise.all([
    client.conversion.findMany({ where: { id: { in: ids("conversion") } }, select: { id: true, number: true, guestName: true } }),
    client.configLayer.findMany({ where: { id: { in: ids("layer") } }, select: { id: true, name: true } }),
  ]);
  return { conversions: new Map(conversions.map((c) => [c.id, { number: c.number, guestName: c.guestName }])), layers: new Map(layers.map((l) => [l.id, l.name])) };
}
