// The relay sends a conversion's lines to its room in order and once each, whatever order the
// batches arrive in: an early batch is held, a gap that stays open is read from the database,
// and the late batch of a gap already read is not sent again (CI saw 102,000 lines for 100,000),
// nor the gap read of a batch that came while the database answered (CI saw 105,000).
import { afterEach, describe, expect, test, vi } from "vitest";
import type { Db } from "../../../server/db/client.ts";
import { fromLiveColumns, toLiveColumns, type LiveLogColumns } from "../../../server/log-columns.ts";
import type { LiveLogLine } from "../../../server/realtime/log-store.ts";
import type { RealtimeServer } from "../../../server/realtime/socket-server.ts";

const stored = vi.hoisted(() => ({ lines: [] as LiveLogLine[], reads: 0, fail: false, slow: undefined as Promise<void> | undefined }));
vi.mock("../../../server/realtime/log-store.ts", () => ({
  readLinesAfter: async (_client: unknown, _id: string, after: number, limit: number) => {
    stored.reads++;
    await stored.slow;
    if (stored.fail) throw new Error("database unavailable");
    return stored.lines.filter((l) => l.line > after).slice(0, limit);
  },
}));
const { createLogRelay } = await import("../../../server/realtime/log-relay.ts");

const line = (n: number): LiveLogLine => ({ line: n, attempt: 1, at: new Date(0).toISOString(), level: "info", stage: "copy", message: `line ${n}` });
const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => line(from + i));
/** A committed batch as the relay gets it: columns. */
const batch = (from: number, to: number) => toLiveColumns(lines(from, to));

function watchedRelay() {
  const sent: number[] = [];
  const io = {
    local: { to: () => ({ emit: (_event: string, payload: { columns: LiveLogColumns }) => sent.push(...fromLiveColumns(payload.columns).map((l) => l.line)) }) },
    of: () => ({ adapter: { rooms: new Map([["conversion:c1", new Set(["socket"])]]) } }),
  } as unknown as RealtimeServer;
  return { relay: createLogRelay(io, () => ({}) as Db), sent };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

afterEach(() => {
  vi.useRealTimers();
  stored.lines = [];
  stored.reads = 0;
  stored.fail = false;
  stored.slow = undefined;
});

describe("the live-log relay", () => {
  test("a batch that overtakes the one before it is held until that one comes", () => {
    const { relay, sent } = watchedRelay();
    relay.accept("c1", batch(1, 10));
    relay.accept("c1", batch(21, 30));
    expect(sent).toEqual(range(1, 10));
    relay.accept("c1", batch(11, 20));
    expect(sent).toEqual(range(1, 30));
    relay.stop();
  });

  test("a gap still open after the hold is read from the database; its late batch is not sent again", async () => {
    vi.useFakeTimers();
    stored.lines = lines(1, 40);
    const { relay, sent } = watchedRelay();
    relay.accept("c1", batch(1, 10));
    relay.accept("c1", batch(21, 30));
    await vi.advanceTimersByTimeAsync(250);
    expect(stored.reads).toBe(1);
    expect(sent).toEqual(range(1, 30));
    relay.accept("c1", batch(11, 20)); // the overtaken batch, at last
    relay.accept("c1", batch(31, 40));
    expect(sent).toEqual(range(1, 40));
    relay.stop();
  });

  test("the missing batch comes while its gap is read from the database: every line once, in order", async () => {
    vi.useFakeTimers();
    stored.lines = lines(1, 60);
    let answer!: () => void;
    stored.slow = new Promise<void>((r) => (answer = r));
    const { relay, sent } = watchedRelay();
    relay.accept("c1", batch(1, 10));
    relay.accept("c1", batch(21, 30));
    await vi.advanceTimersByTimeAsync(250); // the hold is over: the read of 11-20 starts
    expect(stored.reads).toBe(1);
    relay.accept("c1", batch(11, 20)); // ...and the batch itself comes meanwhile
    expect(sent).toEqual(range(1, 30));
    answer();
    await vi.advanceTimersByTimeAsync(0);
    relay.accept("c1", batch(31, 40));
    relay.accept("c1", batch(41, 50));
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toEqual(range(1, 50));
    expect(stored.reads).toBe(1);
    relay.stop();
  });

  test("a gap given up on (the database read failed) is sent when its batch comes after all", async () => {
    vi.useFakeTimers();
    stored.fail = true;
    const { relay, sent } = watchedRelay();
    relay.accept("c1", batch(1, 10));
    relay.accept("c1", batch(21, 30));
    await vi.advanceTimersByTimeAsync(250);
    expect(sent).toEqual([...range(1, 10), ...range(21, 30)]);
    relay.accept("c1", batch(11, 20));
    expect(sent).toEqual([...range(1, 10), ...range(21, 30), ...range(11, 20)]);
    relay.stop();
  });
});
