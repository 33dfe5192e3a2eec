// The live view's bookkeeping, free of React and the network (unit-tested): keeping log lines
// in order with no gap and no duplicate, and turning progress reports into rate, time left and
// bytes per disk.
import type { LiveLogLine } from "@/server/realtime/log-store";
import type { LiveAgent } from "@/server/realtime/events";

/**
 * Lines arrive in batches from the replay and the live room, possibly overlapping and out of
 * order. Only the next number is appended; later ones wait until the gap is filled; anything at
 * or below the last appended number is a duplicate and dropped.
 */
export class LineSequence {
  readonly lines: LiveLogLine[] = [];
  private readonly waiting = new Map<number, LiveLogLine>();
  private gapSince: number | null = null;

  constructor(initial: readonly LiveLogLine[] = [], private lastLine = initial.length ? initial[initial.length - 1]!.line : 0) {
    this.lines.push(...initial);
  }

  /** The number of the newest line held: what a resubscription resumes after. */
  get last(): number {
    return this.lastLine;
  }

  /** Takes a batch; returns how many lines were appended. */
  accept(batch: readonly LiveLogLine[], now = Date.now()): number {
    let added = 0;
    let i = 0;
    // The usual case, a batch that follows on with nothing held back, is appended as it comes:
    // no map entry per line (a page watching a busy conversion takes thousands a second).
    if (this.waiting.size === 0) {
      while (i < batch.length && batch[i]!.line <= this.lastLine) i++;
      for (let l = batch[i]; l && l.line === this.lastLine + 1; l = batch[++i]) {
        this.lines.push(l);
        this.lastLine = l.line;
        added++;
      }
    }
    for (; i < batch.length; i++) if (batch[i]!.line > this.lastLine) this.waiting.set(batch[i]!.line, batch[i]!);
    for (let next = this.waiting.get(this.lastLine + 1); next; next = this.waiting.get(this.lastLine + 1)) {
      this.waiting.delete(next.line);
      this.lines.push(next);
      this.lastLine = next.line;
      added++;
    }
    this.gapSince = this.waiting.size === 0 ? null : (this.gapSince ?? now);
    return added;
  }

  /** Lines held back behind a missing one for longer than `ms`: time to resubscribe from `last`. */
  stalled(ms: number, now = Date.now()): boolean {
    return this.gapSince !== null && now - this.gapSince > ms;
  }

  /** Puts earlier lines (loaded on request) in front. */
  prepend(earlier: readonly LiveLogLine[]): void {
    const first = this.lines[0]?.line ?? this.lastLine + 1;
    this.lines.unshift(...earlier.filter((l) => l.line < first));
  }
}

// In the order a conversion runs them: the transfer ISO is built before the appliance that
// inspects starts (it is attached to it), and software is installed before the copy (into the
// overlays the copy reads: server/engine/guest-session.ts).
export const STAGES = ["source", "transfer-iso", "inspect", "plan", "install", "copy", "convert", "output"] as const;

/** A progress report (the engine's ProgressReport, or the stored one). */
export type ProgressReport = { stage: string; done: number; total: number; unit: string; item?: string | undefined };

export type DiskProgress = { name: string; size: number; copied: number };

/** Progress over time: rate over the last `windowMs`, time left, bytes per disk. */
export class ProgressTracker {
  private samples: { t: number; done: number; stage: string }[] = [];
  private readonly sizes: { name: string; size: number }[] = [];
  latest: ProgressReport | null = null;

  constructor(private readonly windowMs = 10_000) {}

  /** Learns disk sizes from the copy stage's "Transferring storage volume NAME: N bytes". */
  noteLine(l: Pick<LiveLogLine, "stage" | "message">): void {
    const m = /^Transferring storage volume (.+): (\d+) bytes$/.exec(l.message);
    if (m && !this.sizes.some((d) => d.name === m[1])) this.sizes.push({ name: m[1]!, size: Number(m[2]) });
  }

  add(p: ProgressReport, t = Date.now()): void {
    if (this.latest?.stage !== p.stage) this.samples = [];
    this.latest = p;
    this.samples.push({ t, done: p.done, stage: p.stage });
    this.samples = this.samples.filter((s) => t - s.t <= this.windowMs);
  }

  /** Units per second over the window, or null until two reports are apart in time. */
  rate(): number | null {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.t - first.t < 500) return null;
    return Math.max(0, (last.done - first.done) / ((last.t - first.t) / 1000));
  }

  /** Seconds left at the current rate, or null when it cannot be said. */
  secondsLeft(): number | null {
    const r = this.rate();
    if (!this.latest || !r) return null;
    return Math.max(0, (this.latest.total - this.latest.done) / r);
  }

  disks(): DiskProgress[] {
    const p = this.latest;
    let before = 0;
    return this.sizes.map((d) => {
      const copied = p && p.stage === "copy" ? Math.min(d.size, Math.max(0, p.done - before)) : 0;
      before += d.size;
      return { ...d, copied };
    });
  }
}

/**
 * Seconds since the agent's last heartbeat when that exceeds its timeout, else null. Measured on
 * the server's clock (the browser's may be off): silence at the server's reading plus the time
 * since that reading arrived.
 */
export function agentSilentFor(agent: LiveAgent, receivedAt: number, now: number): number | null {
  if (!agent.lastHeartbeatAt) return null;
  const s = (Date.parse(agent.serverTime) - Date.parse(agent.lastHeartbeatAt) + (now - receivedAt)) / 1000;
  return s > agent.timeoutSeconds ? Math.floor(s) : null;
}

export type LogFilter = { levels: ReadonlySet<string>; stage: string; text: string };

export function filterActive(f: LogFilter): boolean {
  return f.levels.size < 4 || f.stage !== "" || f.text.trim() !== "";
}

export function matches(l: LiveLogLine, f: LogFilter): boolean {
  if (!f.levels.has(l.level)) return false;
  if (f.stage && l.stage !== f.stage) return false;
  const t = f.text.trim().toLowerCase();
  return t === "" || l.message.toLowerCase().includes(t);
}
