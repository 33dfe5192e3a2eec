// What an agent reports while it runs an attempt: log batches (idempotent: a resent batch is
// not stored twice, by its (conversion, attempt, seq); each new line gets the conversion's next
// line number), progress, and the
// outputs it is about to create. Each is refused for an attempt that is no longer live.
import { sqlPool, type Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import type { Prisma } from "../db/generated/client.ts";
import { outputsOf, staleAttempt } from "./queue.ts";
import { rangesArray, runsArray, textArray } from "../db/array-literal.ts";
import { fromSeqColumns, toLiveColumns, toRanges, toSeqColumns, type SeqLogColumns } from "../log-columns.ts";
import type { TLogBatch, TLogLine, TOutputs, TProgress } from "./protocol.ts";
import { publishConversionUpdate, type PublishedLogColumns } from "./publish.ts";
import { TX } from "./settings.ts";

type Live = { agentId: string; conversionId: string; attempt: number };

const liveWhere = (r: Live) => ({ id: r.conversionId, attempt: r.attempt, agentId: r.agentId, status: "running" });

// $1 conversion id, $2 attempt, $3 agent id, then one array per column: $4 seq, $5 at, $6 level,
// $7 stage, $8 message.
const APPEND_SQL = `
  WITH live AS (
    SELECT log_lines FROM conversions
    WHERE id = $1::text AND attempt = $2::int AND agent_id = $3::text AND status = 'running' FOR UPDATE
  ), top AS (
    SELECT coalesce(max(seq), -1) AS seq FROM conversion_logs WHERE conversion_id = $1::text AND attempt = $2::int
  ), gate AS (
    -- The batch's first line not stored yet must follow on from the attempt's stored ones: a
    -- batch that overtook the one before it (an agent keeps two in flight) stores nothing yet.
    SELECT top.seq AS top, (SELECT min(s) FROM unnest($4::int[]) s WHERE s > top.seq) AS first_new FROM top
  ), fresh AS (
    SELECT u.seq, u.at, u.level, u.stage, u.message, (live.log_lines + row_number() OVER (ORDER BY u.seq))::int AS line
    FROM live, gate, unnest($4::int[], $5::timestamptz[], $6::text[], $7::text[], $8::text[]) AS u(seq, at, level, stage, message)
    WHERE (gate.first_new IS NULL OR gate.first_new = gate.top + 1)
      -- A seq above the attempt's highest stored one is new (the usual case: one probe of the
      -- index for the batch); only the others are looked up one by one.
      AND (u.seq > gate.top OR NOT EXISTS (SELECT 1 FROM conversion_logs l WHERE l.conversion_id = $1::text AND l.attempt = $2::int AND l.seq = u.seq))
  ), stored AS (
    INSERT INTO conversion_logs (conversion_id, attempt, seq, line, at, level, stage, message)
    SELECT $1::text, $2::int, seq, line, at, level, stage, message FROM fresh
    RETURNING seq, line
  ), counted AS (
    UPDATE conversions SET log_lines = (SELECT max(line) FROM fresh) WHERE id = $1::text AND EXISTS (SELECT 1 FROM fresh)
  )
  -- Which seq got which line only when some lines of the batch were stored before (a resend):
  -- otherwise they are the batch's seqs, in order, numbered from base + 1.
  SELECT (SELECT log_lines FROM live) AS base, gate.top, gate.first_new, s.n,
    CASE WHEN s.n < cardinality($4::int[]) THEN (SELECT array_agg(seq ORDER BY seq) FROM stored) END AS seqs,
    CASE WHEN s.n < cardinality($4::int[]) THEN (SELECT array_agg(line ORDER BY seq) FROM stored) END AS lines
  FROM gate, (SELECT count(*)::int AS n FROM stored) s`;

/** How long a batch that came before the one preceding it waits for it, at most, before its request fails (the agent sends it again). */
const EARLY_WAIT_MS = 5_000;

// Appends of one attempt's lines in this process run one at a time, the lowest seq first, and
// each begins after the one before it committed (so its statement sees those lines). Batches
// that arrived before the batch preceding them wait here for a stored one, or poll (the
// preceding batch may go to another console process). On globalThis: Next's route handlers and
// server.ts (the embedded agent) load this module in different module graphs.
type Turns = { busy: boolean; queue: { first: number; go: () => void }[]; stored: (() => void)[] };
const turnsHolder = globalThis as unknown as { __ferryLogTurns?: Map<string, Turns> };
const turns = (turnsHolder.__ferryLogTurns ??= new Map<string, Turns>());

function turnsOf(key: string): Turns {
  let t = turns.get(key);
  if (!t) turns.set(key, (t = { busy: false, queue: [], stored: [] }));
  return t;
}

function forgetIfIdle(key: string, t: Turns): void {
  if (!t.busy && t.queue.length === 0 && t.stored.length === 0 && turns.get(key) === t) turns.delete(key);
}

/** Runs `run` when no other append of `key` runs in this process; waiting ones go lowest `first` seq first. */
async function inTurn<T>(key: string, first: number, run: () => Promise<T>): Promise<T> {
  const t = turnsOf(key);
  if (t.busy) {
    await new Promise<void>((go) => {
      const at = t.queue.findIndex((w) => w.first > first);
      t.queue.splice(at < 0 ? t.queue.length : at, 0, { first, go });
    });
  }
  t.busy = true;
  try {
    return await run();
  } finally {
    const next = t.queue.shift();
    if (next) next.go();
    else {
      t.busy = false;
      forgetIfIdle(key, t);
    }
  }
}

/** Wakes the batches of `key` waiting for an earlier one to be stored. */
function wakeStored(key: string): void {
  const t = turns.get(key);
  if (t) for (const wake of t.stored.splice(0)) wake();
}

/** Waits until a batch of `key` is stored in this process, or `ms` passed. */
function storedOrAfter(key: string, ms: number): Promise<void> {
  const t = turnsOf(key);
  return new Promise<void>((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      const i = t.stored.indexOf(wake);
      if (i >= 0) t.stored.splice(i, 1);
      forgetIfIdle(key, t);
      resolve();
    }, ms);
    t.stored.push(wake);
  });
}

type AppendRow = { base: number | null; top: number; first_new: number | null; n: number; seqs: number[] | null; lines: number[] | null };

/** A batch with ascending seqs, each once: as it came (the usual case), else sorted with repeats dropped (the first wins). */
function inSeqOrder(c: SeqLogColumns): SeqLogColumns {
  let last = -1;
  for (const [first, n] of c.seq) {
    if (first <= last) {
      const bySeq = new Map<number, TLogLine>();
      for (const l of fromSeqColumns(c)) if (!bySeq.has(l.seq)) bySeq.set(l.seq, l);
      return toSeqColumns([...bySeq.values()].sort((a, b) => a.seq - b.seq));
    }
    last = first + n - 1;
  }
  return c;
}

export async function appendLogs(client: Db, batch: TLogBatch): Promise<{ stored: number }> {
  const { conversionId: id, attempt, agentId } = batch;
  const c = inSeqOrder(batch.lines);
  const count = c.message.length;
  const key = `${attempt}:${id}`;
  // The columns as array literals, built from the runs as they came (array-literal.ts).
  const params = [id, attempt, agentId, rangesArray(c.seq), runsArray(c.at), runsArray(c.level), runsArray(c.stage), textArray(c.message)];
  const until = Date.now() + EARLY_WAIT_MS;
  for (let pause = 20; ; pause = Math.min(pause * 2, 500)) {
    const stored = await inTurn(key, c.seq[0]?.[0] ?? 0, async () => {
      // One statement, so one round trip and no interactive transaction: it locks the
      // conversion row (FOR UPDATE: batches of one conversion are serialized, so line numbers
      // are given in commit order and a live view never sees line N + 1 committed before line
      // N; a result or an interruption cannot slip in between), refuses a batch that does not
      // follow on from the stored lines (it waits below), numbers the lines not stored yet from
      // the counter in seq order, inserts them with one array per column (unnest, not 8 bind
      // parameters per line) and moves the counter. A resent batch racing its original fails
      // on the (conversion, attempt, seq) key and is sent again by the agent, which then finds
      // its lines stored.
      // Sent through the client's plain `pg` pool, not $queryRaw: Prisma's raw-query path cost
      // about a third of the time of this statement (README, "Live logs and history").
      const { rows } = await sqlPool(client).query<AppendRow>(APPEND_SQL, params);
      const result = rows[0];
      if (result?.base === null || result?.base === undefined) throw staleAttempt(id, attempt);
      if (result.first_new !== null && result.first_new !== result.top + 1) return { early: result, stored: 0 };
      if (result.n > 0) {
        // Published in its turn: this process hands batches on in line order. The usual batch
        // goes on as the columns it came in (no line objects): its lines are base + 1, ...
        const columns: PublishedLogColumns =
          result.n === count
            ? { seq: c.seq, line: [[result.base + 1, result.n]], attempt: [[attempt, result.n]], at: c.at, level: c.level, stage: c.stage, message: c.message }
            : publishedColumns(c, attempt, result.seqs ?? [], result.lines ?? []);
        publishConversionUpdate({ type: "logs", conversionId: id, attempt, columns });
      }
      return { early: undefined, stored: result.n };
    });
    if (!stored.early) {
      if (stored.stored > 0) wakeStored(key);
      return { stored: stored.stored };
    }
    // It overtook the batch before it: wait for that one (stored here, or by another console
    // process: polled), then try again; the agent sends it again if it never comes.
    const left = until - Date.now();
    if (left <= 0) {
      throw new AppError(
        "UNAVAILABLE",
        `Log lines of attempt ${attempt} of conversion ${id} from seq ${stored.early.first_new} on came before the lines after seq ${stored.early.top}: send those first.`,
      );
    }
    await storedOrAfter(key, Math.min(pause, left));
  }
}

/** The lines of a resent batch that were not stored before, with the numbers they got. */
function publishedColumns(c: SeqLogColumns, attempt: number, seqs: number[], lines: number[]): PublishedLogColumns {
  const line = new Map<number, number>();
  seqs.forEach((seq, k) => line.set(seq, lines[k]!));
  const out = fromSeqColumns(c).flatMap((l) => {
    const n = line.get(l.seq);
    return n === undefined ? [] : [{ ...l, line: n, attempt }];
  });
  return { seq: toRanges(out.map((l) => l.seq)), ...toLiveColumns(out) };
}

export async function recordProgress(client: Db, input: TProgress): Promise<void> {
  const { count } = await client.conversion.updateMany({ where: liveWhere(input), data: { progress: input.progress as Prisma.InputJsonValue } });
  if (count === 0) throw staleAttempt(input.conversionId, input.attempt);
  publishConversionUpdate({ type: "progress", conversionId: input.conversionId, attempt: input.attempt, progress: input.progress });
}

/** Adds paths to what this attempt created outside its scratch dir (sent before creating them). */
export async function recordOutputs(client: Db, input: TOutputs): Promise<void> {
  await client.$transaction(async (tx) => {
    const row = await tx.conversion.findFirst({ where: liveWhere(input), select: { outputs: true } });
    if (!row) throw staleAttempt(input.conversionId, input.attempt);
    const before = outputsOf(row.outputs);
    const paths = [...new Set([...(before?.attempt === input.attempt ? before.paths : []), ...input.paths])];
    await tx.conversion.update({ where: { id: input.conversionId }, data: { outputs: { agentId: input.agentId, attempt: input.attempt, paths } } });
  }, TX);
}
