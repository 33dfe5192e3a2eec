// The one Prisma client of a module graph, created on first use from DATABASE_URL (which
// server.ts sets before anything else runs when the embedded database is used).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client.ts";

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

const holder = globalThis as unknown as { __ferryPrisma?: PrismaClient; __ferryPrismaUrl?: string };

export function createPrisma(connectionString: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: 10 }) });
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
