// Failures grouped by cause: every failed or interrupted conversion in the window, and every
// failure a retry cleared (its audit record keeps the error), keyed by the normalised message.
// Each group links its conversions and the last conversion of one of its guests that succeeded
// after the failure: the proof that the cause can be got past.
import type { Db } from "../db/client.ts";
import { normaliseError } from "./dashboard-normalise.ts";

export type FailureOccurrence = { conversionId: string; number: number; guestName: string; at: Date; error: string };

export type FailureGroup = {
  /** The normalised message: what the occurrences have in common. */
  key: string;
  /** The newest occurrence's own message, as a person reads it. */
  example: string;
  count: number;
  /** Newest first, at most `perGroup`. */
  occurrences: FailureOccurrence[];
  lastSucceeded: { conversionId: string; number: number; guestName: string; finishedAt: Date } | null;
};

type Raw = { id: string; number: number; guest_name: string; at: Date; error: string; output_name: string | null };

export async function failureGroups(client: Db, opts: { since: Date; limit?: number; perGroup?: number; scan?: number }): Promise<FailureGroup[]> {
  const scan = opts.scan ?? 5000;
  const [current, retried] = await Promise.all([
    client.$queryRaw<Raw[]>`
      SELECT id, number, guest_name, finished_at AS at, error, request->'output'->>'name' AS output_name
      FROM conversions
      WHERE status IN ('failed', 'interrupted') AND error IS NOT NULL AND finished_at >= ${opts.since}::timestamptz
      ORDER BY finished_at DESC LIMIT ${scan}`,
    client.$queryRaw<Raw[]>`
      SELECT c.id, c.number, c.guest_name, a.at, a.before->>'error' AS error, c.request->'output'->>'name' AS output_name
      FROM audit_events a JOIN conversions c ON c.id = a.target_id
      WHERE a.target_type = 'conversion' AND a.action IN ('conversion.retry', 'conversion.replan')
        AND a.at >= ${opts.since}::timestamptz AND a.before->>'error' IS NOT NULL
      ORDER BY a.at DESC LIMIT ${scan}`,
  ]);
  const groups = new Map<string, { key: string; occurrences: FailureOccurrence[] }>();
  for (const r of [...current, ...retried]) {
    const key = normaliseError(r.error, [r.guest_name, r.output_name]);
    const g = groups.get(key) ?? { key, occurrences: [] };
    g.occurrences.push({ conversionId: r.id, number: r.number, guestName: r.guest_name, at: r.at, error: r.error });
    groups.set(key, g);
  }
  const ranked = [...groups.values()]
    .map((g) => ({ ...g, occurrences: g.occurrences.sort((a, b) => b.at.getTime() - a.at.getTime()) }))
    .sort((a, b) => b.occurrences.length - a.occurrences.length || b.occurrences[0]!.at.getTime() - a.occurrences[0]!.at.getTime())
    .slice(0, opts.limit ?? 10);

  const guests = [...new Set(ranked.flatMap((g) => g.occurrences.map((o) => o.guestName)))];
  const successes = guests.length
    ? await client.$queryRaw<{ id: string; number: number; guest_name: string; finished_at: Date }[]>`
        SELECT DISTINCT ON (guest_name) id, number, guest_name, finished_at FROM conversions
        WHERE status = 'succeeded' AND guest_name = ANY(${guests}::text[]) AND finished_at >= ${opts.since}::timestamptz
        ORDER BY guest_name, finished_at DESC`
    : [];
  const latest = new Map(successes.map((s) => [s.guest_name, s]));

  return ranked.map((g) => {
    let best: FailureGroup["lastSucceeded"] = null;
    for (const o of g.occurrences) {
      const s = latest.get(o.guestName);
      if (s && s.finished_at > o.at && (!best || s.finished_at > best.finishedAt)) best = { conversionId: s.id, number: s.number, guestName: s.guest_name, finishedAt: s.finished_at };
    }
    return { key: g.key, example: g.occurrences[0]!.error, count: g.occurrences.length, occurrences: g.occurrences.slice(0, opts.perGroup ?? 20), lastSucceeded: best };
  });
}
