// The live view's bookkeeping: lines kept in order with no gap and no duplicate whatever order
// batches arrive in; rate, time left and per-disk bytes from progress reports; a silent agent.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { agentSilentFor, filterActive, LineSequence, matches, ProgressTracker } from "../../../components/conversions/live-model.ts";
import { chooseAdapter } from "../../../server/realtime/adapter.ts";
import type { LiveLogLine } from "../../../server/realtime/log-store.ts";

const line = (n: number, extra: Partial<LiveLogLine> = {}): LiveLogLine => ({ line: n, attempt: 1, at: "2026-12-01T10:00:00.000Z", level: "info", stage: "copy", message: `line ${n}`, ...extra });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => line(from + i));

describe("LineSequence", () => {
  test("replay and live batches that overlap: each line once, in order", () => {
    const s = new LineSequence(range(1, 3));
    expect(s.accept(range(6, 8))).toBe(0); // live, ahead of the replay: held back
    expect(s.stalled(0, Date.now() + 1)).toBe(true);
    expect(s.accept(range(2, 6))).toBe(5); // replay: 2, 3 are duplicates; 4-8 now complete
    expect(s.lines.map((l) => l.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(s.last).toBe(8);
    expect(s.stalled(0, Date.now() + 1)).toBe(false);
  });

  test("any split of 1..N into batches, delivered in any order with repeats, ends as exactly 1..N", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 40 }), (n, cuts, order) => {
        const all = range(1, n);
        // Batches: random slices (which may overlap) plus the whole range once, so every line is sent.
        const batches = [...cuts.map(([x, y]) => all.slice(Math.min(x, y) % n, (Math.max(x, y) % n) + 1)), all];
        const shuffled = batches.map((b, i) => ({ b, k: order[i] ?? i })).sort((p, q) => p.k - q.k).map((p) => p.b);
        const s = new LineSequence();
        for (const b of shuffled) s.accept(b);
        expect(s.lines.map((l) => l.line)).toEqual(all.map((l) => l.line));
      }),
    );
  });

  test("the same with each batch in any order within itself (reversed, or rotated)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { maxLength: 40 }), (n, cuts) => {
        const all = range(1, n);
        const batches = [...cuts.map(([x, y, r]) => {
          const b = all.slice(Math.min(x, y) % n, (Math.max(x, y) % n) + 1);
          return r % 3 === 0 ? b.reverse() : [...b.slice(r % b.length), ...b.slice(0, r % b.length)];
        }), all];
        const s = new LineSequence();
        for (const b of batches) s.accept(b);
        expect(s.lines.map((l) => l.line)).toEqual(all.map((l) => l.line));
        expect(s.stalled(0, Date.now() + 1)).toBe(false);
      }),
    );
  });

  test("earlier lines loaded later go in front, without repeats", () => {
    const s = new LineSequence(range(5, 6));
    s.prepend(range(1, 5));
    expect(s.lines.map((l) => l.line)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe("ProgressTracker", () => {
  test("rate and time left over the window; bytes per disk from the copy stage's messages", () => {
    const t = new ProgressTracker(10_000);
    t.noteLine({ stage: "copy", message: "Transferring storage volume sda: 1000 bytes" });
    t.noteLine({ stage: "copy", message: "Transferring storage volume sdb: 3000 bytes" });
    t.add({ stage: "copy", done: 0, total: 4000, unit: "bytes", item: "sda" }, 0);
    expect(t.rate()).toBeNull();
    t.add({ stage: "copy", done: 1500, total: 4000, unit: "bytes", item: "sdb" }, 1000);
    expect(t.rate()).toBe(1500);
    expect(t.secondsLeft()).toBeCloseTo(2500 / 1500);
    expect(t.disks()).toEqual([{ name: "sda", size: 1000, copied: 1000 }, { name: "sdb", size: 3000, copied: 500 }]);
  });

  test("a new stage starts its rate afresh", () => {
    const t = new ProgressTracker();
    t.add({ stage: "copy", done: 0, total: 10, unit: "bytes" }, 0);
    t.add({ stage: "copy", done: 10, total: 10, unit: "bytes" }, 1000);
    t.add({ stage: "convert", done: 1, total: 5, unit: "steps" }, 2000);
    expect(t.rate()).toBeNull();
  });
});

test("an agent is silent once its last heartbeat is older than the timeout, on the server's clock", () => {
  const agent = { id: "a", name: "host-1", lastHeartbeatAt: "2026-12-01T10:00:00.000Z", timeoutSeconds: 60, serverTime: "2026-12-01T10:00:30.000Z" };
  // The browser's clock is an hour off; only the time since the reading arrived counts.
  const received = Date.parse("2026-12-01T11:00:00.000Z");
  expect(agentSilentFor(agent, received, received + 10_000)).toBeNull();
  expect(agentSilentFor(agent, received, received + 45_000)).toBe(75);
  expect(agentSilentFor({ ...agent, lastHeartbeatAt: null }, received, received + 999_000)).toBeNull();
});

test("filters: level, stage and text (case-insensitive)", () => {
  const f = { levels: new Set(["warn", "error"]), stage: "copy", text: "SDA" };
  expect(filterActive(f)).toBe(true);
  expect(matches(line(1, { level: "warn", message: "disk sda slow" }), f)).toBe(true);
  expect(matches(line(2, { level: "info", message: "disk sda" }), f)).toBe(false);
  expect(matches(line(3, { level: "error", stage: "convert", message: "sda" }), f)).toBe(false);
  expect(filterActive({ levels: new Set(["debug", "info", "warn", "error"]), stage: "", text: " " })).toBe(false);
});

test("the Socket.IO adapter: postgres with an external database or when asked, memory with the embedded one", () => {
  expect(chooseAdapter(undefined, true)).toBe("memory");
  expect(chooseAdapter(undefined, false)).toBe("postgres");
  expect(chooseAdapter("postgres", true)).toBe("postgres");
  expect(chooseAdapter("memory", false)).toBe("memory");
  expect(() => chooseAdapter("redis", false)).toThrow('FERRY_REALTIME_ADAPTER must be "postgres" or "memory", not "redis"');
});
