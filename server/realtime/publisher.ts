// Turns the agent service's committed updates into room events (across console processes when
// the Postgres adapter is on). One `conversion:logs` event per stored batch, never per line.
// Log batches go through each process's relay (log-relay.ts), which keeps them in line order;
// `shared`: other console processes get them as a server-side event for their own relays.
import type { ConversionUpdate } from "../agents/publish.ts";
import { conversionRoom } from "./events.ts";
import type { LogRelay } from "./log-relay.ts";
import type { RealtimeServer } from "./socket-server.ts";

export function realtimePublisher(io: RealtimeServer, relay: LogRelay, shared: boolean): (update: ConversionUpdate) => void {
  return (u) => {
    if (u.type === "logs") {
      // The columns as appendLogs stored them, passed on as they are (the agent's seqs left out).
      const { seq: _seq, ...columns } = u.columns;
      relay.accept(u.conversionId, columns);
      if (shared) io.serverSideEmit("conversion:logs", { id: u.conversionId, columns });
    } else if (u.type === "progress") {
      io.to(conversionRoom(u.conversionId)).emit("conversion:progress", { id: u.conversionId, attempt: u.attempt, progress: u.progress, at: new Date().toISOString() });
    } else if (u.type === "status") {
      io.to(conversionRoom(u.conversionId)).emit("conversion:status", { id: u.conversionId, status: u.status, attempt: u.attempt, agentId: u.agentId, errorCode: u.errorCode ?? null, error: u.error ?? null });
    }
  };
}
