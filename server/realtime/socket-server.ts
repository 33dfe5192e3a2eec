// Socket.IO on the console's HTTP server. A connection is accepted only with a valid session
// cookie; each socket joins its user's room so a sign-out or role change can disconnect it.
import type { Server as HttpServer } from "node:http";
import { fromNodeHeaders } from "better-auth/node";
import { Server } from "socket.io";
import { auth, consoleOrigins } from "../auth/auth.ts";
import { isRole } from "../auth/roles.ts";
import { logger } from "../log.ts";
import { db } from "../db/client.ts";
import { setConversionPublisher } from "../agents/publish.ts";
import { usePostgresAdapter, type AdapterKind } from "./adapter.ts";
import { registerConversionHandlers } from "./conversion-room.ts";
import { createLogRelay } from "./log-relay.ts";
import { realtimePublisher } from "./publisher.ts";
import { sessionRoom, userRoom, type ClientToServerEvents, type InterServerEvents, type ServerToClientEvents, type SocketData } from "./events.ts";

const log = logger("realtime");

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

const holder = globalThis as unknown as { __ferryIo?: RealtimeServer };

export type RealtimeOptions = { adapter?: AdapterKind; databaseUrl?: string };

/**
 * Socket.IO on `http`, with conversion rooms, and the agent service's updates published to
 * them. close() also stops the adapter's connections and unhooks the publisher.
 */
export function attachRealtime(http: HttpServer, options: RealtimeOptions = {}): RealtimeServer & { stop: () => Promise<void> } {
  const io: RealtimeServer = new Server(http, { path: "/socket.io", serveClient: false, cors: { origin: false } });
  const closeAdapter = options.adapter === "postgres" && options.databaseUrl ? usePostgresAdapter(io, options.databaseUrl) : async () => undefined;
  if (options.adapter === "postgres") log.info("live updates shared with other console processes through PostgreSQL");

  io.use(async (socket, next) => {
    // WebSockets are not bound by CORS: a page on another site could open one with the
    // user's cookies. Browsers always send Origin on the handshake; refuse foreign ones.
    const origin = socket.request.headers.origin;
    if (origin !== undefined && !consoleOrigins().includes(origin)) return next(new Error("forbidden origin"));
    try {
      const session = await auth().api.getSession({ headers: fromNodeHeaders(socket.request.headers) });
      const role = (session?.user as { role?: unknown } | undefined)?.role;
      if (!session || !isRole(role)) return next(new Error("unauthorized"));
      socket.data.user = { id: session.user.id, name: session.user.name, email: session.user.email, role };
      socket.data.sessionId = session.session.id;
      next();
    } catch (e) {
      log.warn("session check failed during handshake", { error: String(e) });
      next(new Error("unauthorized"));
    }
  });

  io.on("connection", (socket) => {
    void socket.join([userRoom(socket.data.user.id), sessionRoom(socket.data.sessionId)]);
    socket.emit("session:ready", { user: socket.data.user, serverTime: new Date().toISOString() });
    socket.on("ping", (ack) => {
      if (typeof ack === "function") ack({ serverTime: new Date().toISOString() });
    });
  });

  const stopRooms = registerConversionHandlers(io, db);
  const relay = createLogRelay(io, db);
  const shared = options.adapter === "postgres" && Boolean(options.databaseUrl);
  if (shared) io.on("conversion:logs", (p) => relay.accept(p.id, p.columns));
  setConversionPublisher(realtimePublisher(io, relay, shared));
  holder.__ferryIo = io;
  const stop = async () => {
    setConversionPublisher(undefined);
    stopRooms();
    relay.stop();
    await new Promise<void>((r) => io.close(() => r()));
    await closeAdapter();
  };
  return Object.assign(io, { stop });
}

/** The running Socket.IO server, when this process hosts one (server actions use it). */
export function realtime(): RealtimeServer | undefined {
  return holder.__ferryIo;
}

/** Ends the live connections of one session (sign-out) or of every session of a user (role change, sessions revoked). */
export function disconnectRealtime(target: { sessionId: string } | { userId: string }, reason: "signed-out" | "role-changed" | "sessions-revoked"): void {
  const io = realtime();
  if (!io) return;
  const room = "sessionId" in target ? sessionRoom(target.sessionId) : userRoom(target.userId);
  io.to(room).emit("session:revoked", { reason });
  io.in(room).disconnectSockets(true);
}
