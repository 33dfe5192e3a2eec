// Generated history for the list, dashboard and scale tests: `count` conversions spread over
// `spanDays` before `now`, three to a created_at (ties the keyset must break), with a fixed mix
// of outcomes, users, profiles, guests, disks and error messages (four causes of failure, each
// with the guest's name, a path, a UUID or a number in it; interruptions a fifth cause).
import type { TConversionFilter } from "../../../server/conversions/list-conversions.ts";
import type { Db } from "../../../server/db/client.ts";

export const USERS = ["alice@example.test", "bob@example.test", "carol@example.test", "system"];
export const PROFILES = ["rhel-pool", "lab", "windows"];
export const GiB = 1024 ** 3;

/** The list filters walked at scale (the scale test and bench/history.ts): one of each kind, and all at once. */
export const SCALE_FILTERS: [string, TConversionFilter][] = [
  ["newest first", {}],
  ["oldest first", { dir: "asc" }],
  ["guest A to Z", { sort: "guest" }],
  ["status failed", { status: "failed" }],
  ["started by carol", { user: "carol@example.test" }],
  ["profile windows", { profile: "windows" }],
  ["one month", { from: "2026-06-01", to: "2026-06-30" }],
  ["guest contains web-01", { guest: "web-01" }],
  ["failed, carol, windows, web, June", { status: "failed", user: "carol@example.test", profile: "windows", guest: "web", from: "2026-06-01", to: "2026-06-30" }],
];

export type SeedOptions = { count: number; now: Date; spanDays: number; prefix: string };

/** Outcome of row i (i from 1): the same table the SQL below uses. */
export function statusOf(i: number): string {
  const k = i % 20;
  return k < 12 ? "succeeded" : k < 15 ? "failed" : k === 15 ? "cancelled" : k === 16 ? "interrupted" : k === 17 ? "planned" : k === 18 ? "queued" : "running";
}

export async function seedHistory(prisma: Db, o: SeedOptions): Promise<void> {
  const step = Math.max(1, Math.floor((o.spanDays * 86_400) / Math.ceil(o.count / 3)));
  await prisma.$executeRaw`
    INSERT INTO conversions (id, guest_name, status, dry_run, request, profile, created_by_email, created_at, updated_at, started_at, finished_at, error, error_code, result, attempt)
    SELECT ${o.prefix} || '-' || i, g.name, s.status, s.status = 'planned',
           jsonb_build_object('source', jsonb_build_object('method', 'libvirt', 'uri', 'xen+ssh://root@xen.example/', 'guest', g.name), 'output', jsonb_build_object('method', 'libvirt', 'storage', 'default'), 'dryRun', s.status = 'planned'),
           (ARRAY[NULL, 'rhel-pool', 'lab', 'windows'])[1 + i % 4],
           (ARRAY['alice@example.test', 'bob@example.test', 'carol@example.test', 'system'])[1 + (i / 7) % 4],
           t.created, t.created,
           CASE WHEN s.status IN ('queued') THEN NULL ELSE t.created + interval '2 seconds' END,
           CASE WHEN s.status IN ('queued', 'running') THEN NULL ELSE t.created + interval '2 seconds' + make_interval(secs => 60 + i % 600) END,
           CASE s.status
             WHEN 'failed' THEN CASE (i / 20) % 4
               WHEN 0 THEN 'Domain ' || g.name || ' already exists on the target.'
               WHEN 1 THEN 'qemu-img: Could not open ''/var/lib/ferry/' || g.name || '-sda.img'': No such file or directory'
               WHEN 2 THEN 'Storage domain ' || md5(i::text)::uuid || ' has no master/vms directory'
               ELSE 'virt-v2v-in-place: error: no installed kernel packages were found (' || i || ' checked)' END
             WHEN 'interrupted' THEN 'The agent agent-' || i % 3 || ' stopped sending heartbeats (silent for ' || (61 + i % 50) || ' s; the timeout is 60 s): this attempt was interrupted.'
             ELSE NULL END,
           CASE WHEN s.status IN ('failed', 'interrupted') THEN 'FAILED' ELSE NULL END,
           CASE WHEN s.status = 'succeeded' THEN jsonb_build_object('disks', jsonb_build_array(jsonb_build_object('name', g.name || '-sda', 'virtualSize', (1 + i % 8)::bigint * ${GiB}::bigint))) ELSE NULL END,
           CASE WHEN s.status = 'queued' THEN 0 ELSE 1 END
    FROM generate_series(1, ${o.count}::int) AS i
    CROSS JOIN LATERAL (SELECT (ARRAY['web', 'db', 'mail', 'app', 'files'])[1 + i % 5] || '-' || lpad((i % 997)::text, 3, '0') AS name) g
    CROSS JOIN LATERAL (SELECT CASE WHEN i % 20 < 12 THEN 'succeeded' WHEN i % 20 < 15 THEN 'failed' WHEN i % 20 = 15 THEN 'cancelled' WHEN i % 20 = 16 THEN 'interrupted' WHEN i % 20 = 17 THEN 'planned' WHEN i % 20 = 18 THEN 'queued' ELSE 'running' END AS status) s
    CROSS JOIN LATERAL (SELECT ${o.now}::timestamptz - make_interval(secs => ((i - 1) / 3) * ${step}::int) AS created) t`;
  // What autovacuum does in a running console: statistics, and a visibility map for index-only scans.
  await prisma.$executeRaw`VACUUM ANALYZE conversions`;
}
