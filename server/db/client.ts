// The one Prisma client of a module graph, created on first use from DATABASE_URL (which
// server.ts sets before anything else runs when the embedded database is used).
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/client.ts";
import { TX_OPTIONS } from "./tx-options.ts";

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

type PoolEntry = { pool: pg.Pool; connectionString: string };
const holder = globalThis as unknown as {
  __ferryPrisma?: PrismaClient;
  __ferryPrismaUrl?: string;
  __ferryPools?: WeakMap<PrismaClient, PoolEntry>;
  __ferryConnectionLost?: Set<() => void>;
};
const lostListeners = (holder.__ferryConnectionLost ??= new Set());

/**
 * Calls `listener` whenever one of this process's database connections ends: PostgreSQL stopped
 * or restarted (or the pool closed an idle one). The console's database gate (server.ts) then
 * checks the database before the next request instead of trusting its last answer.
 */
export function onConnectionLost(listener: () => void): () => void {
  lostListeners.add(listener);
  return () => lostListeners.delete(listener);
}

const connectionLost = () => {
  for (const listener of lostListeners) listener();
};

// Each client's pg pool, for the few hot statements that go to `pg` directly (sqlPool): the
// Prisma adapter runs on the same pool, so a process keeps one set of connections. On globalThis
// like the client itself: server.ts and Next's bundle each load their own copy of this module.
const pools = (holder.__ferryPools ??= new WeakMap<PrismaClient, PoolEntry>());

function newPool(connectionString: string): pg.Pool {
  // allowExitOnIdle: idle connections must not keep a CLI or a test worker alive.
  const pool = new pg.Pool({ connectionString, max: 10, allowExitOnIdle: true });
  // An idle connection dropped by the server (PostgreSQL restarted) is an 'error' event; without
  // a listener it would end the process. The next query simply opens a new connection.
  pool.on("error", connectionLost);
  pool.on("connect", (client) => client.on("end", connectionLost));
  return pool;
}

export function createPrisma(connectionString: string): PrismaClient {
  const pool = newPool(connectionString);
  // disposeExternalPool: $disconnect ends the pool as it did when the adapter owned it.
  // Interactive transactions: tx-options.ts.
  const client = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }), transactionOptions: TX_OPTIONS });
  pools.set(client, { pool, connectionString });
  return client;
}

/**
 * The plain `pg` pool behind a client from createPrisma, for statements where Prisma's raw-query
 * path costs too much (appendLogs: about a third of the time of the same statement). After the
 * client's $disconnect has ended it, a fresh pool on the same database takes its place.
 */
export function sqlPool(client: PrismaClient): pg.Pool {
  const entry = pools.get(client);
  if (!entry) throw new Error("sqlPool: this Prisma client was not made by createPrisma");
  if (entry.pool.ended) entry.pool = newPool(entry.connectionString);
  return entry.pool;
}

export function db(): PrismaClient {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: the console's server.ts sets it at start");
  if (!holder.__ferryPrisma || holder.__ferryPrismaUrl !== url) {
    holder.__ferryPrisma = createPrisma(url);
    holder.__ferryPrismaUrl = url;
  }
  return holder.__ferryPrisma;
}
