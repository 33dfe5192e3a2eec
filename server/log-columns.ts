// Log batches as columns: one array per field instead of one object per line. A flood of lines
// repeats most fields (attempt, level, stage, often the millisecond), and line numbers and seqs
// count up by one, so those columns shrink to a few runs; only the messages stay one per line.
// Encoding and decoding a batch costs a few array passes, against a JSON object (six keys) per
// line to write, send and parse on every receiver. Pure: the agent, the console and the browser
// share it.
import type { LogLevel } from "./engine/context.ts";

/** Runs of equal values: `[value, count]` pairs, in order. */
export type Runs<T> = [T, number][];

/** Runs of consecutive integers: `[first, count]` pairs, in order (1, 2, 3, 7, 8 is [[1, 3], [7, 2]]). */
export type Ranges = [number, number][];

export function toRuns<T>(values: readonly T[]): Runs<T> {
  const runs: Runs<T> = [];
  let run: [T, number] | undefined;
  for (const v of values) {
    if (run && run[0] === v) run[1]++;
    else runs.push((run = [v, 1]));
  }
  return runs;
}

export function fromRuns<T>(runs: Runs<T>): T[] {
  const out: T[] = [];
  for (const [v, n] of runs) for (let i = 0; i < n; i++) out.push(v);
  return out;
}

export function toRanges(values: readonly number[]): Ranges {
  const ranges: Ranges = [];
  let range: [number, number] | undefined;
  for (const v of values) {
    if (range && range[0] + range[1] === v) range[1]++;
    else ranges.push((range = [v, 1]));
  }
  return ranges;
}

export function fromRanges(ranges: Ranges): number[] {
  const out: number[] = [];
  for (const [first, n] of ranges) for (let i = 0; i < n; i++) out.push(first + i);
  return out;
}

/** How many values runs or ranges stand for. */
export function runLength(runs: readonly (readonly [unknown, number])[]): number {
  let n = 0;
  for (const r of runs) n += r[1];
  return n;
}

/** The fields every log line has, as columns; `message` has one entry per line. */
export type LogColumns = { at: Runs<string>; level: Runs<LogLevel>; stage: Runs<string>; message: string[] };

type Fields = { at: string; level: LogLevel; stage: string; message: string };

function toColumns(lines: readonly Fields[]): LogColumns {
  return { at: toRuns(lines.map((l) => l.at)), level: toRuns(lines.map((l) => l.level)), stage: toRuns(lines.map((l) => l.stage)), message: lines.map((l) => l.message) };
}

/** Walks runs one value at a time without expanding them (a decoder's per-line step). */
class RunCursor<T> {
  private run = -1;
  private left = 0;
  private value: T | undefined;
  constructor(private readonly runs: Runs<T>) {}
  next(): T {
    while (this.left === 0) [this.value, this.left] = this.runs[++this.run] ?? [undefined as T, Infinity];
    this.left--;
    return this.value as T;
  }
}

function fromColumns<L>(c: LogColumns, make: (i: number, at: string, level: LogLevel, stage: string, message: string) => L): L[] {
  const at = new RunCursor(c.at);
  const level = new RunCursor(c.level);
  const stage = new RunCursor(c.stage);
  const out: L[] = new Array<L>(c.message.length);
  for (let i = 0; i < out.length; i++) out[i] = make(i, at.next(), level.next(), stage.next(), c.message[i]!);
  return out;
}

/** An agent's batch (its lines numbered by `seq` within the attempt). */
export type SeqLogColumns = LogColumns & { seq: Ranges };
export type SeqLogLine = Fields & { seq: number };

export function toSeqColumns(lines: readonly SeqLogLine[]): SeqLogColumns {
  return { seq: toRanges(lines.map((l) => l.seq)), ...toColumns(lines) };
}

export function fromSeqColumns(c: SeqLogColumns): SeqLogLine[] {
  const seq = fromRanges(c.seq);
  return fromColumns(c, (i, at, level, stage, message) => ({ seq: seq[i]!, at, level, stage, message }));
}

/** Stored lines as the console sends them to pages (`line`: the number in the conversion). */
export type LiveLogColumns = LogColumns & { line: Ranges; attempt: Runs<number> };
export type NumberedLogLine = Fields & { line: number; attempt: number };

export function toLiveColumns(lines: readonly NumberedLogLine[]): LiveLogColumns {
  return { line: toRanges(lines.map((l) => l.line)), attempt: toRuns(lines.map((l) => l.attempt)), ...toColumns(lines) };
}

export function fromLiveColumns(c: LiveLogColumns): NumberedLogLine[] {
  const line = fromRanges(c.line);
  const attempt = fromRuns(c.attempt);
  return fromColumns(c, (i, at, level, stage, message) => ({ line: line[i]!, attempt: attempt[i]!, at, level, stage, message }));
}

/** The first and last line numbers of a live batch (its lines ascend). */
export function liveLineSpan(c: LiveLogColumns): { first: number; last: number } {
  const head = c.line[0];
  const tail = c.line[c.line.length - 1];
  if (!head || !tail) return { first: 0, last: -1 };
  return { first: head[0], last: tail[0] + tail[1] - 1 };
}

/** Runs (or ranges) without their first `k` values; `advance` moves a pair's value past the `j` values dropped from it (a range's first number moves, a run's value stays). */
function dropFirst<T>(pairs: readonly (readonly [T, number])[], k: number, advance: (value: T, j: number) => T): [T, number][] {
  const out: [T, number][] = [];
  for (const [v, n] of pairs) {
    if (k >= n) k -= n;
    else {
      out.push([k > 0 ? advance(v, k) : v, n - k]);
      k = 0;
    }
  }
  return out;
}
const dropRuns = <T>(runs: Runs<T>, k: number): Runs<T> => dropFirst(runs, k, (v) => v);
const dropRanges = (ranges: Ranges, k: number): Ranges => dropFirst(ranges, k, (first, j) => first + j);

/**
 * A live batch without its lines numbered `through` or below (its lines ascend), without
 * decoding it: the columns are cut, not rebuilt line by line. Undefined when nothing is left.
 */
export function liveLinesAfter(c: LiveLogColumns, through: number): LiveLogColumns | undefined {
  let skip = 0;
  for (const [first, n] of c.line) {
    if (first + n - 1 <= through) skip += n;
    else {
      if (first <= through) skip += through - first + 1;
      break;
    }
  }
  if (skip === 0) return c;
  if (skip >= c.message.length) return undefined;
  return { line: dropRanges(c.line, skip), attempt: dropRuns(c.attempt, skip), at: dropRuns(c.at, skip), level: dropRuns(c.level, skip), stage: dropRuns(c.stage, skip), message: c.message.slice(skip) };
}
