import type { Db } from "../db/client.ts";

export async function listUsers(client: Db) {
  return client.user.findMany({
    orderBy: [{ createdAt: "asc" }],
    select: { id: true, name: true, email: true, role: true, createdAt: true, sessions: { select: { updatedAt: true }, orderBy: { updatedAt: "desc" }, take: 1 } },
  });
}
