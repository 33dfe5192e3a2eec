// Watching a conversion over Socket.IO. Why a subscription can neither lose nor repeat a line:
//   1. the socket joins the room first, so every batch published from then on reaches it;
//   2. a batch is published only after its transaction committed, so any line not published
//      to the room yet was committed before the join, and the replay query (run after the
//      join) sees it;
//   3. lines carry their number in the conversion (1, 2, 3, ... no holes); the client appends
//      a line only when it is the next number and holds later ones until the gap fills, so the
//      overlap between replay and live batches is dropped and order is restored.
import { can } from "../auth/roles.ts";
import { agentTimeoutSeconds } from "../agents/settings.ts";
import type { Db } from "../db/client.ts";
import { logger } from "../log.ts";
import { toLiveColumns } from "../log-columns.ts";
import type { Socket as IoSocket } from "socket.io";
import { conversionRoom, type ClientToServerEvents, type InterServerEvents, type LiveAgent, type ServerToClientEvents, type SocketData, type SubscribeReply } from "./events.ts";
import { readLinesAfter, readLinesBefore, type LiveLogLine } from "./log-store.ts";
import type { RealtimeServer } from "./socket-server.ts";

const log = logger("realtime");
const REPLAY_PAGE = 2000;
const AGENT_EVERY_MS = 5000;

type Socket = IoSocket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The agent of a conversion with its last heartbeat, as a live page shows it. */
export async function readLiveAgent(client: Db, agentId: string | null): Promise<LiveAgent | null> {
  if (!agentId) return null;
  const a = await client.agent.findUnique({ where: { id: agentId }, select: { id: true, name: true, lastHeartbeatAt: true } });
  return a ? { id: a.id, name: a.name, lastHeartbeatAt: a.lastHeartbeatAt?.toISOString() ?? null, timeoutSeconds: agentTimeoutSeconds(), serverTime: new Date().toISOString() } : null;
}

export async function subscribe(client: Db, socket: Socket, payload: unknown): Promise<SubscribeReply> {
  if (!can(socket.data.user.role, "conversion:read")) return { ok: false, error: "You may not watch conversions." };
  const p = payload as { id?: unknown; after?: unknown } | null;
  if (typeof p?.id !== "string" || !ID.test(p.id)) return { ok: false, error: "conversion:subscribe needs { id, after }: id is missing or malformed." };
  const after = typeof p.after === "number" && Number.isInteger(p.after) && p.after >= 0 ? p.after : null;
  if (after === null) return { ok: false, error: "conversion:subscribe needs { id, after }: after must be a line number (0 for all lines)." };
  const row = await client.conversion.findUnique({ where: { id: p.id }, select: { id: true, status: true, agentId: true } });
  if (!row) return { ok: false, error: "That conversion does not exist." };

  await socket.join(conversionRoom(row.id)); // before the replay query: see the header
  let through = after;
  for (;;) {
    const lines = await readLinesAfter(client, row.id, through, REPLAY_PAGE);
    if (lines.length === 0) break;
    socket.emit("conversion:logs", { id: row.id, columns: toLiveColumns(lines) });
    through = lines[lines.length - 1]!.line;
    if (lines.length < REPLAY_PAGE) break;
  }
  return { ok: true, id: row.id, status: row.status, through, agent: await readLiveAgent(client, row.agentId) };
}

/** `conversion:earlier`: older lines for a page that holds only the newest. */
export async function earlier(client: Db, socket: Socket, payload: unknown): Promise<{ ok: true; lines: LiveLogLine[] } | { ok: false; error: string }> {
  if (!can(socket.data.user.role, "conversion:read")) return { ok: false, error: "You may not watch conversions." };
  const p = payload as { id?: unknown; before?: unknown; limit?: unknown } | null;
  if (typeof p?.id !== "string" || !ID.test(p.id) || typeof p.before !== "number" || !Number.isInteger(p.before)) return { ok: false, error: "conversion:earlier needs { id, before }: before must be a line number." };
  const limit = typeof p.limit === "number" && Number.isInteger(p.limit) ? Math.min(Math.max(p.limit, 1), 5000) : 2000;
  return { ok: true, lines: await readLinesBefore(client, p.id, p.before, limit) };
}

export function registerConversionHandlers(io: RealtimeServer, client: () => Db): () => void {
  io.on("connection", (socket) => {
    socket.on("conversion:subscribe", (payload, ack) => {
      subscribe(client(), socket, payload).then(
        (reply) => typeof ack === "function" && ack(reply),
        (e: unknown) => {
          log.warn("subscribe failed", { error: String(e) });
          if (typeof ack === "function") ack({ ok: false, error: "The server could not read this conversion; try again." });
        },
      );
    });
    socket.on("conversion:earlier", (payload, ack) => {
      earlier(client(), socket, payload).then(
        (reply) => typeof ack === "function" && ack(reply),
        () => typeof ack === "function" && ack({ ok: false, error: "The server could not read the log; try again." }),
      );
    });
    socket.on("conversion:unsubscribe", (payload) => {
      if (typeof payload?.id === "string") void socket.leave(conversionRoom(payload.id));
    });
  });

  // Agent liveness for the conversions watched on this process: read from Postgres and sent to
  // the local sockets only (every console process does this for its own watchers), so a page
  // can say "the agent stopped reporting" without polling from the browser.
  const timer = setInterval(() => {
    const ids = [...io.of("/").adapter.rooms.keys()].filter((r) => r.startsWith("conversion:")).map((r) => r.slice("conversion:".length));
    if (ids.length === 0) return;
    void (async () => {
      const rows = await client().conversion.findMany({ where: { id: { in: ids } }, select: { id: true, agentId: true } });
      for (const r of rows) io.local.to(conversionRoom(r.id)).emit("conversion:agent", { id: r.id, agent: await readLiveAgent(client(), r.agentId) });
    })().catch((e: unknown) => log.warn("agent liveness read failed", { error: String(e) }));
  }, AGENT_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
