// Log batches to the conversion rooms in line order, per conversion, on every console process.
// On the process that stored a batch, batches are published in commit order; but with several
// console processes the Postgres adapter fetches large payloads with concurrent queries, so a
// batch could overtake the one before it (seen: 90001-91000 before 89001-90000). Each process
// therefore emits to its own watchers through this relay: a batch that is not the next one is
// held until the gap is filled; a gap still open after HOLD_MS is read from the database (lines
// are rows first), so a lost relay message costs a query, not a line.
import type { Db } from "../db/client.ts";
import { logger } from "../log.ts";
import { conversionRoom } from "./events.ts";
import { readLinesAfter, type LiveLogLine } from "./log-store.ts";
import type { RealtimeServer } from "./socket-server.ts";

const log = logger("realtime");
const HOLD_MS = 200;

type Held = { last: number; waiting: Map<number, LiveLogLine[]>; timer: NodeJS.Timeout | undefined };

export type LogRelay = {
  /** A committed batch (ascending, dense line numbers) for this process's watchers. */
  accept(conversionId: string, lines: LiveLogLine[]): void;
  stop(): void;
};

export function createLogRelay(io: RealtimeServer, client: () => Db): LogRelay {
  const state = new Map<string, Held>();
  const emit = (id: string, lines: LiveLogLine[]) => io.local.to(conversionRoom(id)).emit("conversion:logs", { id, lines });

  const drain = (id: string, s: Held) => {
    for (let next = s.waiting.get(s.last + 1); next; next = s.waiting.get(s.last + 1)) {
      s.waiting.delete(s.last + 1);
      emit(id, next);
      s.last = next[next.length - 1]!.line;
    }
    if (s.waiting.size === 0 && s.timer) {
      clearTimeout(s.timer);
      s.timer = undefined;
    }
  };

  // The gap outlived HOLD_MS: read it from the database, then send what was held.
  const fill = async (id: string, s: Held) => {
    s.timer = undefined;
    const firstHeld = Math.min(...s.waiting.keys());
    try {
      const gap = await readLinesAfter(client(), id, s.last, firstHeld - s.last - 1);
      if (gap.length > 0) {
        emit(id, gap);
        s.last = gap[gap.length - 1]!.line;
      }
    } catch (e) {
      log.warn("could not read a gap in a live log; the page will resubscribe", { conversion: id, error: String(e) });
    }
    if (s.waiting.size > 0 && Math.min(...s.waiting.keys()) > s.last + 1) s.last = Math.min(...s.waiting.keys()) - 1; // give up on the gap
    drain(id, s);
  };

  return {
    accept(id, lines) {
      const first = lines[0];
      if (!first) return;
      if (!io.of("/").adapter.rooms.get(conversionRoom(id))?.size) {
        // Nobody watches it here: forget it (a later subscriber starts from its replay).
        const s = state.get(id);
        if (s?.timer) clearTimeout(s.timer);
        state.delete(id);
        return;
      }
      let s = state.get(id);
      if (!s) state.set(id, (s = { last: first.line - 1, waiting: new Map(), timer: undefined }));
      if (first.line <= s.last) {
        // Late or repeated (the first batch this process saw had overtaken it): the page keeps
        // only the lines it lacks.
        emit(id, lines);
        return;
      }
      s.waiting.set(first.line, lines);
      drain(id, s);
      if (s.waiting.size > 0 && !s.timer) {
        const held = s;
        held.timer = setTimeout(() => void fill(id, held), HOLD_MS);
        held.timer.unref();
      }
    },
    stop() {
      for (const s of state.values()) if (s.timer) clearTimeout(s.timer);
      state.clear();
    },
  };
}
