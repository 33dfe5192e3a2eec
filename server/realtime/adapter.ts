// Which Socket.IO adapter this console process uses. With several console processes on one
// database, a browser on process A must see what an agent reports to process B: the Postgres
// adapter (LISTEN/NOTIFY, large payloads through socket_io_attachments) carries room events
// between them. FERRY_REALTIME_ADAPTER=postgres|memory chooses; unset, an external
// DATABASE_URL (the only setup where several processes can share a database) means postgres and
// the embedded database means memory.
import pg from "pg";
import { createAdapter } from "@socket.io/postgres-adapter";
import { logger } from "../log.ts";
import type { RealtimeServer } from "./socket-server.ts";

const log = logger("realtime");

export type AdapterKind = "postgres" | "memory";

export function chooseAdapter(setting: string | undefined, databaseEmbedded: boolean): AdapterKind {
  const asked = setting?.trim();
  if (asked === "postgres" || asked === "memory") return asked;
  if (asked) throw new Error(`FERRY_REALTIME_ADAPTER must be "postgres" or "memory", not ${JSON.stringify(asked)}`);
  return databaseEmbedded ? "memory" : "postgres";
}

/** Puts the Postgres adapter on `io`; returns what closes its connections. */
export function usePostgresAdapter(io: RealtimeServer, databaseUrl: string): () => Promise<void> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  pool.on("error", (e) => log.warn("realtime adapter connection error", { error: String(e) }));
  io.adapter(createAdapter(pool, { errorHandler: (e) => log.warn("realtime adapter error", { error: String(e) }) }));
  return async () => {
    await pool.end().catch(() => undefined);
  };
}
