// Live-view tests: console processes on the test database, a signed-in cookie, Socket.IO
// clients that record every line they receive, and an agent speaking the real HTTP protocol.
import { randomUUID } from "node:crypto";
import { io as connect, type Socket } from "socket.io-client";
import { fromLiveColumns } from "../../../server/log-columns.ts";
import type { ClientToServerEvents, ServerToClientEvents, SubscribeReply } from "../../../server/realtime/events.ts";
import type { LiveLogLine } from "../../../server/realtime/log-store.ts";

export type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Signs in through the console's own auth route; returns the Cookie header to send. */
export async function signIn(url: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/sign-in/email`, { method: "POST", headers: { "content-type": "application/json", origin: url }, body: JSON.stringify({ email, password }) });
  if (!res.ok) throw new Error(`sign-in at ${url} failed: HTTP ${res.status} ${await res.text()}`);
  return res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

export function liveClient(url: string, cookie?: string): LiveClient {
  return connect(url, { path: "/socket.io", transports: ["websocket"], extraHeaders: cookie ? { cookie } : {}, reconnection: false, forceNew: true });
}

export async function connected(client: LiveClient): Promise<void> {
  if (client.connected) return;
  await new Promise<void>((resolve, reject) => {
    client.once("connect", () => resolve());
    client.once("connect_error", (e) => reject(e));
  });
}

export function subscribe(client: LiveClient, id: string, after: number): Promise<SubscribeReply> {
  return new Promise((resolve) => client.emit("conversion:subscribe", { id, after }, resolve));
}

/** Everything a client received for one conversion, in arrival order, with arrival times. */
export function record(client: LiveClient, id: string): { batches: { at: number; lines: LiveLogLine[] }[]; lines: () => LiveLogLine[] } {
  const batches: { at: number; lines: LiveLogLine[] }[] = [];
  client.on("conversion:logs", (p) => {
    if (p.id === id) batches.push({ at: Date.now(), lines: fromLiveColumns(p.columns) });
  });
  return { batches, lines: () => batches.flatMap((b) => b.lines) };
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export const uniqueName = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
