// Turns the agent service's committed updates into room events (across console processes when
// the Postgres adapter is on). One `conversion:logs` event per stored batch, never per line.
import type { ConversionUpdate } from "../agents/publish.ts";
import { conversionRoom } from "./events.ts";
import type { LiveLogLine } from "./log-store.ts";
import type { RealtimeServer } from "./socket-server.ts";

export function realtimePublisher(io: RealtimeServer): (update: ConversionUpdate) => void {
  return (u) => {
    if (u.type === "logs") {
      const lines: LiveLogLine[] = u.lines.map((l) => ({ line: l.line, attempt: l.attempt, at: l.at, level: l.level as LiveLogLine["level"], stage: l.stage, message: l.message }));
      io.to(conversionRoom(u.conversionId)).emit("conversion:logs", { id: u.conversionId, lines });
    } else if (u.type === "progress") {
      io.to(conversionRoom(u.conversionId)).emit("conversion:progress", { id: u.conversionId, attempt: u.attempt, progress: u.progress, at: new Date().toISOString() });
    } else if (u.type === "status") {
      io.to(conversionRoom(u.conversionId)).emit("conversion:status", { id: u.conversionId, status: u.status, attempt: u.attempt, agentId: u.agentId, errorCode: u.errorCode ?? null, error: u.error ?? null });
    }
  };
}
