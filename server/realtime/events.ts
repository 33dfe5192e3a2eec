// The typed event map shared by the Socket.IO server and the browser client.
import type { TRole } from "../auth/roles.ts";
import type { ProgressEvent } from "../engine/context.ts";
import type { LiveLogColumns } from "../log-columns.ts";
import type { LiveLogLine } from "./log-store.ts";

export type TRealtimeUser = { id: string; name: string; email: string; role: TRole };

export type LiveStatus = { id: string; status: string; attempt: number; agentId: string | null; errorCode: string | null; error: string | null };
/** The agent running a conversion, for "it stopped reporting" (lastHeartbeatAt older than timeoutSeconds). */
export type LiveAgent = { id: string; name: string; lastHeartbeatAt: string | null; timeoutSeconds: number; serverTime: string };

export type SubscribeReply =
  | { ok: true; id: string; status: string; through: number; agent: LiveAgent | null }
  | { ok: false; error: string };

export type ServerToClientEvents = {
  /** Sent once after a connection is accepted: who the server thinks you are. */
  "session:ready": (payload: { user: TRealtimeUser; serverTime: string }) => void;
  /** Your session ended (signed out, role changed): the page should reload. */
  "session:revoked": (payload: { reason: "signed-out" | "role-changed" | "sessions-revoked" }) => void;
  /**
   * A batch of stored lines (replayed or live), ascending by line; one event per batch, as
   * columns (server/log-columns.ts: fromLiveColumns gives the lines back).
   */
  "conversion:logs": (payload: { id: string; columns: LiveLogColumns }) => void;
  "conversion:status": (payload: LiveStatus) => void;
  "conversion:progress": (payload: { id: string; attempt: number; progress: ProgressEvent; at: string }) => void;
  /** The conversion's agent and its last heartbeat, every few seconds while someone watches. */
  "conversion:agent": (payload: { id: string; agent: LiveAgent | null }) => void;
};

export type ClientToServerEvents = {
  /** Round trip check: the server answers with its time. */
  ping: (ack: (payload: { serverTime: string }) => void) => void;
  /**
   * Watch a conversion: joins its room, replays the stored lines numbered above `after` as
   * `conversion:logs` batches, then acknowledges; live batches follow (some may overlap the
   * replay: the client keeps a line only when it is the next number).
   */
  "conversion:subscribe": (payload: { id: string; after: number }, ack: (reply: SubscribeReply) => void) => void;
  "conversion:unsubscribe": (payload: { id: string }) => void;
  /** Stored lines numbered below `before` (the newest `limit` of them, at most 5,000), oldest first. */
  "conversion:earlier": (payload: { id: string; before: number; limit?: number }, ack: (reply: { ok: true; lines: LiveLogLine[] } | { ok: false; error: string }) => void) => void;
};

/** Between console processes (the Postgres adapter): a stored batch, for each process's log relay. */
export type InterServerEvents = { "conversion:logs": (payload: { id: string; columns: LiveLogColumns }) => void };

export type SocketData = { user: TRealtimeUser; sessionId: string };

export const userRoom = (userId: string) => `user:${userId}`;
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
export const conversionRoom = (conversionId: string) => `conversion:${conversionId}`;
