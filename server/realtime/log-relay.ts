// Log batches to the conversion rooms in line order, per conversion, on every console process.
// On the process that stored a batch, batches are published in commit order; but with several
// console processes the Postgres adapter fetches large payloads with concurrent queries, so a
// batch could overtake the one before it (seen: 90001-91000 before 89001-90000). Each process
// therefore emits to its own watchers through this relay: a batch that is not the next one is
// held until the gap is filled; a gap still open after HOLD_MS is read from the database (lines
// are rows first), so a lost relay message costs a query, not a line.
import type { Db } from "../db/client.ts";
import { logger } from "../log.ts";
import { fromLiveColumns, liveLineSpan, liveLinesAfter, toLiveColumns, type LiveLogColumns } from "../log-columns.ts";
import { conversionRoom } from "./events.ts";
import { readLinesAfter } from "./log-store.ts";
import type { RealtimeServer } from "./socket-server.ts";

const log = logger("realtime");
const HOLD_MS = 200;

type Held = {
  /** The first line this relay handled for the conversion: earlier ones it never sent. */
  start: number;
  /** The last line sent to the room, in order. */
  last: number;
  /** Batches waiting for a gap before them, by first line. */
  waiting: Map<number, LiveLogColumns>;
  timer: NodeJS.Timeout | undefined;
  /** Gaps given up on (the database read failed): their lines were never sent. */
  lost: [number, number][];
};

export type LogRelay = {
  /** A committed batch (ascending, dense line numbers) for this process's watchers, as columns: passed on as they are. */
  accept(conversionId: string, columns: LiveLogColumns): void;
  stop(): void;
};

export function createLogRelay(io: RealtimeServer, client: () => Db): LogRelay {
  const state = new Map<string, Held>();
  // Written once per batch to every watcher (socket.io serializes a room emit once); the
  // columns go out as they came unless a part was sent already.
  const emit = (id: string, columns: LiveLogColumns) => io.local.to(conversionRoom(id)).emit("conversion:logs", { id, columns });

  const drain = (id: string, s: Held) => {
    for (;;) {
      // A held batch that begins at or before the last line sent (the gap read from the database
      // covered it, or part of it): only its unsent rest is still waiting.
      for (const [first, held] of [...s.waiting]) {
        if (first > s.last) continue;
        s.waiting.delete(first);
        const rest = liveLinesAfter(held, s.last);
        if (rest) s.waiting.set(liveLineSpan(rest).first, rest);
      }
      const next = s.waiting.get(s.last + 1);
      if (!next) break;
      s.waiting.delete(s.last + 1);
      emit(id, next);
      s.last = liveLineSpan(next).last;
    }
    if (s.waiting.size === 0 && s.timer) {
      clearTimeout(s.timer);
      s.timer = undefined;
    }
  };

  // The gap outlived HOLD_MS: read it from the database, then send what was held.
  const fill = async (id: string, s: Held) => {
    s.timer = undefined;
    if (s.waiting.size === 0) return;
    const from = s.last;
    const firstHeld = Math.min(...s.waiting.keys());
    try {
      const read = await readLinesAfter(client(), id, from, firstHeld - from - 1);
      // The missing batch may have come while the database answered, and gone out then: only
      // lines still unsent, following on from the last one sent, go out now.
      const gap = read.filter((l) => l.line > s.last);
      if (gap.length > 0 && gap[0]!.line === s.last + 1) {
        emit(id, toLiveColumns(gap));
        s.last = gap[gap.length - 1]!.line;
      }
    } catch (e) {
      log.warn("could not read a gap in a live log; the page will resubscribe", { conversion: id, error: String(e) });
    }
    drain(id, s);
    if (s.waiting.size > 0 && Math.min(...s.waiting.keys()) > s.last + 1) {
      // Give up on the gap; if its batch comes after all, it is sent then.
      s.lost.push([s.last + 1, Math.min(...s.waiting.keys()) - 1]);
      s.last = Math.min(...s.waiting.keys()) - 1;
    }
    drain(id, s);
  };

  return {
    accept(id, columns) {
      const { first } = liveLineSpan(columns);
      if (columns.message.length === 0) return;
      if (!io.of("/").adapter.rooms.get(conversionRoom(id))?.size) {
        // Nobody watches it here: forget it (a later subscriber starts from its replay).
        const s = state.get(id);
        if (s?.timer) clearTimeout(s.timer);
        state.delete(id);
        return;
      }
      let s = state.get(id);
      if (!s) state.set(id, (s = { start: first, last: first - 1, waiting: new Map(), timer: undefined, lost: [] }));
      if (first <= s.last) {
        // Late: a batch whose gap was already read from the database (its lines went out then:
        // not again), or one from before the first batch this process saw (never sent here: the
        // page keeps the lines it lacks), or one from a gap given up on.
        const held = s;
        const unsent = fromLiveColumns(columns).filter((l) => l.line <= held.last && (l.line < held.start || held.lost.some(([a, b]) => l.line >= a && l.line <= b)));
        if (unsent.length > 0) emit(id, toLiveColumns(unsent));
        const rest = liveLinesAfter(columns, held.last);
        if (!rest) return;
        columns = rest;
      }
      s.waiting.set(liveLineSpan(columns).first, columns);
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
