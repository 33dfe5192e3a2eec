// One row of the `npm run bench` table. Benchmarks print figures; they never gate a test run.
export type BenchRow = {
  /** What was measured, e.g. "match, 10,000-element config". */
  what: string;
  /** The figure to compare against (a naive implementation, the bare library...), as text. */
  baseline: string;
  /** Ferry's figure, as text. */
  ferry: string;
  /** The goal, as text ("< 50 µs"), or "-" for an informational row. */
  goal: string;
  /** Whether the goal is met; null for informational rows. */
  pass: boolean | null;
  /** The raw numbers behind the text, for results.json. */
  raw?: Record<string, number>;
};

/** Every benchmark module exports this. */
export type BenchModule = { run: () => Promise<BenchRow[]> };
