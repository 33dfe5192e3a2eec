"use client";
// The log as a windowed list: only the rows in view (plus a margin) are in the DOM, so tens of
// thousands of lines cost nothing while scrolling. Rows have one fixed height (long messages are
// cut with an ellipsis; the linked line shows in full below). Follows the bottom until the
// person scrolls up; "Jump to latest" brings it back.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { cn } from "@/components/ui/cn";
import type { LiveLogLine } from "@/server/realtime/log-store";
import { filterActive, matches, type LogFilter } from "./live-model";

const ROW = 20;
const HEIGHT = 480;
const OVERSCAN = 20;
const LEVELS = ["debug", "info", "warn", "error"] as const;
const LEVEL_CLASS: Record<string, string> = { debug: "text-fg-subtle", info: "text-fg", warn: "text-warning-fg", error: "text-danger-fg font-medium" };

const lineFromHash = () => {
  const m = /^#line-(\d+)$/.exec(window.location.hash);
  return m ? Number(m[1]) : null;
};

export function LiveLog({ lines, version, conversionId, empty, onEarlier }: { lines: readonly LiveLogLine[]; version: number; conversionId: string; empty: string; onEarlier?: (() => Promise<void>) | undefined }) {
  const box = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(true);
  const [scrollTop, setScrollTop] = useState(0);
  const [filter, setFilter] = useState<LogFilter>({ levels: new Set(LEVELS), stage: "", text: "" });
  const [linked, setLinked] = useState<number | null>(null);

  const active = filterActive(filter);
  // `version` changes whenever lines were appended to the (mutable) array.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const view = useMemo(() => (active ? lines.filter((l) => matches(l, filter)) : lines), [lines, version, filter, active]);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const stages = useMemo(() => [...new Set(lines.map((l) => l.stage))], [lines, version]);

  const scrollToIndex = useCallback((i: number) => {
    if (box.current) box.current.scrollTop = Math.max(0, i * ROW - HEIGHT / 2);
  }, []);

  // Follow: after new lines render, stay at the bottom.
  useLayoutEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [follow, view.length, version]);

  // #line-N: stop following, show that line (clearing filters that hide it).
  useEffect(() => {
    const go = () => {
      const n = lineFromHash();
      if (n === null) return;
      setLinked(n);
      setFollow(false);
    };
    go();
    window.addEventListener("hashchange", go);
    return () => window.removeEventListener("hashchange", go);
  }, []);
  const linkedLoaded = linked !== null && lines.some((l) => l.line === linked);
  const firstLine = lines[0]?.line ?? 0;
  // A link to a line older than those loaded: load earlier pages until it is there.
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    if (linked === null || linkedLoaded || !onEarlier || loading || linked >= firstLine) return;
    setLoading(true);
    void onEarlier().finally(() => setLoading(false));
  }, [linked, linkedLoaded, onEarlier, loading, firstLine]);
  // Lines put in front move what is on screen down: keep the view where it was.
  const shownFirst = useRef(firstLine);
  useLayoutEffect(() => {
    const before = shownFirst.current;
    shownFirst.current = firstLine;
    if (!follow && box.current && before > firstLine && firstLine > 0) box.current.scrollTop += (before - firstLine) * ROW;
  }, [firstLine, follow]);
  useLayoutEffect(() => {
    if (linked === null || !linkedLoaded) return;
    const i = view.findIndex((l) => l.line === linked);
    if (i < 0) setFilter({ levels: new Set(LEVELS), stage: "", text: "" });
    else scrollToIndex(i);
  }, [linked, linkedLoaded, view, scrollToIndex]);

  const onScroll = () => {
    const el = box.current;
    if (!el) return;
    setScrollTop(el.scrollTop);
    const atBottom = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW;
    if (atBottom !== follow) setFollow(atBottom);
  };

  const first = Math.max(0, Math.floor(scrollTop / ROW) - OVERSCAN);
  const last = Math.min(view.length, Math.ceil((scrollTop + HEIGHT) / ROW) + OVERSCAN);
  const shown = view.slice(first, last);
  const linkedLine = linked !== null ? lines.find((l) => l.line === linked) : undefined;

  return (
    <div className="space-y-0" data-testid="live-log" data-first={lines[0]?.line ?? 0} data-last={lines[lines.length - 1]?.line ?? 0} data-count={lines.length}>
      <div className="flex flex-wrap items-center gap-2 border-b border-line px-4 py-2 text-[0.8125rem] sm:px-5" role="group" aria-label="Log filters">
        {LEVELS.map((lv) => (
          <label key={lv} className="inline-flex items-center gap-1">
            <input type="checkbox" checked={filter.levels.has(lv)} onChange={(e) => {
              const levels = new Set(filter.levels);
              if (e.target.checked) levels.add(lv); else levels.delete(lv);
              setFilter({ ...filter, levels });
            }} />
            {lv}
          </label>
        ))}
        <select aria-label="Stage" className="rounded border border-line bg-surface px-1 py-0.5" value={filter.stage} onChange={(e) => setFilter({ ...filter, stage: e.target.value })}>
          <option value="">all stages</option>
          {stages.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        <input type="search" aria-label="Search the log" placeholder="Search the log" className="min-w-40 flex-1 rounded border border-line bg-surface px-2 py-0.5" value={filter.text} onChange={(e) => setFilter({ ...filter, text: e.target.value })} />
        <span className="text-fg-muted tabular-nums" aria-live="polite">{active ? `${view.length} of ${lines.length} lines` : `${lines.length} lines`}</span>
        <a className="text-accent-fg hover:underline" href={`/api/conversions/${conversionId}/log`} download>Download</a>
      </div>
      {onEarlier ? (
        <div className="border-b border-line px-4 py-1 text-[0.8125rem] sm:px-5">
          <button type="button" className="text-accent-fg hover:underline disabled:opacity-60" disabled={loading} onClick={() => { setLoading(true); void onEarlier().finally(() => setLoading(false)); }}>
            {loading ? "Loading earlier lines…" : `Show earlier lines (${firstLine - 1} more)`}
          </button>
        </div>
      ) : null}
      {lines.length === 0 ? <p className="px-4 py-4 text-sm text-fg-muted sm:px-5">{empty}</p> : (
        <div className="relative">
          <div ref={box} onScroll={onScroll} role="log" aria-label="Log lines, oldest first" data-testid="log-scroll"
            className="overflow-auto bg-surface-subtle font-mono text-[0.8125rem]" style={{ height: HEIGHT }}>
            <div style={{ height: view.length * ROW, position: "relative" }}>
              {shown.map((l, k) => (
                <div key={l.line} id={`line-${l.line}`} data-line={l.line} data-level={l.level}
                  className={cn("absolute inset-x-0 flex gap-3 whitespace-pre px-4 sm:px-5", l.level === "error" && "bg-danger-soft/60", l.level === "warn" && "bg-warning-soft/50", l.line === linked && "bg-accent-soft ring-1 ring-accent")}
                  style={{ top: (first + k) * ROW, height: ROW, lineHeight: `${ROW}px` }}>
                  <a href={`#line-${l.line}`} className="w-12 shrink-0 text-right text-fg-subtle tabular-nums hover:underline" aria-label={`Link to line ${l.line}`}>{l.line}</a>
                  <span className="shrink-0 text-fg-subtle tabular-nums">{l.at.slice(11, 23)}</span>
                  <span className={cn("w-12 shrink-0 uppercase", LEVEL_CLASS[l.level])}>{l.level}</span>
                  <span className="w-24 shrink-0 truncate text-fg-muted">{l.stage}</span>
                  <span className={cn("truncate", LEVEL_CLASS[l.level])} title={l.message} data-testid="log-message">{l.message}</span>
                </div>
              ))}
            </div>
          </div>
          {!follow ? (
            <button type="button" onClick={() => { setLinked(null); setFollow(true); }} className="absolute right-6 bottom-3 rounded-full bg-accent px-3 py-1 text-xs font-medium text-on-accent shadow">
              Jump to latest
            </button>
          ) : null}
        </div>
      )}
      {linkedLine ? (
        <p className="border-t border-line px-4 py-2 font-mono text-[0.8125rem] break-words whitespace-pre-wrap sm:px-5" data-testid="linked-line">
          Line {linkedLine.line} ({linkedLine.at}, {linkedLine.level}, {linkedLine.stage}): {linkedLine.message}
        </p>
      ) : null}
    </div>
  );
}
