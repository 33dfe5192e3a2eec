// Interactive transaction limits for every client from createPrisma (a call may ask for more):
// up to 10 s to get a connection, 30 s to finish. Prisma's defaults, 2 s and 5 s, failed a
// seeding transaction with "Unable to start a transaction in the given time" on a loaded
// two-core host. Kept apart from client.ts so modules the agent loads need not load Prisma.
export const TX_OPTIONS = { maxWait: 10_000, timeout: 30_000 } as const;
