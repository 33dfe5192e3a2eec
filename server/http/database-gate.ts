// While PostgreSQL does not answer, the console says so instead of rendering a stack trace or
// Next's generic error: pages get a plain "Database unavailable" page, API and agent calls a
// JSON error, both HTTP 503 with Retry-After (agents treat 5xx as "try again later" and keep
// their buffered log lines). server.ts asks the gate before handing a request to Next, and
// tells it when a database connection is lost (server/db/client.ts onConnectionLost).
// /api/health is never gated (it reports the outage itself); static assets need no database.
import type { IncomingMessage, ServerResponse } from "node:http";

export type DatabaseProbe = () => Promise<{ reachable: boolean; error?: string | undefined }>;

/**
 * "Up" is trusted for a second, so the console does not pay a `SELECT 1` round trip on every
 * request; a dropped connection (the pool's connections end when PostgreSQL stops or
 * restarts: server/db/client.ts reports it through `suspect`) ends that trust at once, so a
 * request arriving just after PostgreSQL stopped gets the 503, not Next's error page. Requests
 * that arrive together share one probe. "Down" is remembered for a second so a dead server
 * (whose probe may wait for its 2 s timeout) does not hold every request up.
 */
const UP_MS = 1000;
const DOWN_MS = 1000;

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="10"><title>Database unavailable · Ferry</title>
<style>body{font-family:system-ui,sans-serif;background:#f8fafc;color:#0f172a;display:grid;place-items:center;min-height:100vh;margin:0}
main{max-width:32rem;padding:2rem;background:#fff;border:1px solid #e2e8f0;border-radius:.75rem}h1{font-size:1.25rem;margin:0 0 .5rem}p{color:#475569;line-height:1.5}</style>
</head><body><main data-testid="database-unavailable"><h1>Database unavailable</h1>
<p>The console cannot reach its PostgreSQL database right now, so it cannot show this page. Conversions keep running on their agents, which hold their log lines until the database is back; nothing is lost.</p>
<p>This page reloads itself every 10 seconds. If it persists, check the database server (<code>/api/health</code> shows its state).</p>
</main></body></html>`;

const HEADERS = {
  "cache-control": "no-store",
  "retry-after": "5",
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
};

function exempt(url: string): boolean {
  const p = url.split("?")[0] ?? url;
  return p === "/api/health" || p.startsWith("/_next/static/") || p.startsWith("/_next/image") || p === "/favicon.ico";
}

export type DatabaseGate = ((req: IncomingMessage, res: ServerResponse) => Promise<boolean>) & {
  /** A database connection was lost: probe before trusting "up" again. */
  suspect(): void;
};

/** Returns a handler that answers 503 itself (true) while the database is down, else false. */
export function createDatabaseGate(probe: DatabaseProbe, now: () => number = Date.now): DatabaseGate {
  let last: { at: number; reachable: boolean } | undefined;
  let inflight: Promise<boolean> | undefined;
  let suspected = false;

  const reachable = async (): Promise<boolean> => {
    if (last && !last.reachable && now() - last.at < DOWN_MS) return false;
    if (last?.reachable && !suspected && now() - last.at < UP_MS) return true;
    if (!inflight) {
      suspected = false; // a drop reported while this probe runs calls for another
      inflight = probe()
        .then((r) => r.reachable, () => false)
        .then((ok) => {
          last = { at: now(), reachable: ok };
          inflight = undefined;
          return ok;
        });
    }
    return inflight;
  };

  const gate = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = req.url ?? "/";
    if (exempt(url) || (await reachable())) return false;
    const page = (req.method === "GET" || req.method === "HEAD") && (req.headers.accept ?? "").includes("text/html");
    const wantsJson = url.startsWith("/api/") || !page;
    if (wantsJson) {
      res.writeHead(503, { ...HEADERS, "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "DATABASE_UNAVAILABLE", message: "The console's database is unavailable; try again shortly." } }));
    } else {
      res.writeHead(503, { ...HEADERS, "content-type": "text/html; charset=utf-8" });
      res.end(req.method === "HEAD" ? undefined : PAGE);
    }
    return true;
  };
  return Object.assign(gate, {
    suspect: () => {
      suspected = true;
    },
  });
}
