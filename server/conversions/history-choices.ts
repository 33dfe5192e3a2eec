// The values the history filters offer: who has started conversions and which profiles they
// asked for. A loose index scan (one index probe per distinct value) keeps this cheap at any
// number of conversions.
import type { Db } from "../db/client.ts";

export type HistoryChoices = { users: string[]; profiles: string[] };

const LIMIT = 500;

export async function listHistoryChoices(client: Db): Promise<HistoryChoices> {
  const [users, profiles] = await Promise.all([
    client.$queryRaw<{ v: string }[]>`
      WITH RECURSIVE t(v) AS (
        (SELECT created_by_email FROM conversions ORDER BY created_by_email LIMIT 1)
        UNION ALL
        SELECT (SELECT created_by_email FROM conversions WHERE created_by_email > t.v ORDER BY created_by_email LIMIT 1) FROM t WHERE t.v IS NOT NULL
      ) SELECT v FROM t WHERE v IS NOT NULL LIMIT ${LIMIT}`,
    client.$queryRaw<{ v: string }[]>`
      WITH RECURSIVE t(v) AS (
        (SELECT profile FROM conversions WHERE profile IS NOT NULL ORDER BY profile LIMIT 1)
        UNION ALL
        SELECT (SELECT profile FROM conversions WHERE profile > t.v ORDER BY profile LIMIT 1) FROM t WHERE t.v IS NOT NULL
      ) SELECT v FROM t WHERE v IS NOT NULL LIMIT ${LIMIT}`,
  ]);
  return { users: users.map((r) => r.v), profiles: profiles.map((r) => r.v) };
}
