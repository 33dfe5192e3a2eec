// The typed event map shared by the Socket.IO server and the browser client.
import type { TRole } from "../auth/roles.ts";

export type TRealtimeUser = { id: string; name: string; email: string; role: TRole };

export type ServerToClientEvents = {
  /** Sent once after a connection is accepted: who the server thinks you are. */
  "session:ready": (payload: { user: TRealtimeUser; serverTime: string }) => void;
  /** Your session ended (signed out, role changed): the page should reload. */
  "session:revoked": (payload: { reason: "signed-out" | "role-changed" }) => void;
};

export type ClientToServerEvents = {
  /** Round trip check: the server answers with its time. */
  ping: (ack: (payload: { serverTime: string }) => void) => void;
};

export type InterServerEvents = Record<string, never>;

export type SocketData = { user: TRealtimeUser; sessionId: string };

export const userRoom = (userId: string) => `user:${userId}`;
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
