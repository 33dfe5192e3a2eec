"use client";
// A conversion page's live part: the server rendered the stored backlog; this subscribes from
// its last line and keeps log, progress, status and agent liveness current over Socket.IO. A
// reconnect (dropped connection, console restart) resubscribes from the last line held.
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { io } from "socket.io-client";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { fromLiveColumns } from "@/server/log-columns";
import type { ClientToServerEvents, LiveAgent, ServerToClientEvents } from "@/server/realtime/events";
import type { LiveLogLine } from "@/server/realtime/log-store";
import type { Socket } from "socket.io-client";
import { LineSequence, ProgressTracker, type ProgressReport } from "./live-model";
import { LiveLog } from "./live-log";
import { LiveProgress } from "./live-progress";

const ACTIVE = new Set(["queued", "running"]);
const GAP_RESUBSCRIBE_MS = 3000;

export type LiveConversionProps = {
  id: string;
  status: string;
  progress: ProgressReport | null;
  lines: LiveLogLine[];
  /** Lines the conversion has in all (the page shows only the newest). */
  total: number;
  agent: LiveAgent | null;
  /** Server-rendered cards shown between progress and log. */
  children?: ReactNode;
};

type Conn = "connecting" | "live" | "offline" | "refused";

export function LiveConversion({ id, status: initialStatus, progress, lines: initial, total, agent: initialAgent, children }: LiveConversionProps) {
  const router = useRouter();
  const seq = useMemo(() => new LineSequence(initial), []); // eslint-disable-line react-hooks/exhaustive-deps
  const tracker = useMemo(() => {
    const t = new ProgressTracker();
    for (const l of initial) t.noteLine(l);
    if (progress) t.add(progress);
    return t;
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  const [version, setVersion] = useState(0);
  const [status, setStatus] = useState(initialStatus);
  const [stage, setStage] = useState<string | null>(progress?.stage ?? initial[initial.length - 1]?.stage ?? null);
  const [agent, setAgent] = useState(initialAgent ? { agent: initialAgent, receivedAt: Date.now() } : null);
  const [conn, setConn] = useState<Conn>("connecting");
  const [problem, setProblem] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const frame = useRef<number | null>(null);
  const socketRef = useRef<Socket<ServerToClientEvents, ClientToServerEvents> | null>(null);

  // Older lines than the page holds, on request (the page renders only the newest).
  const loadEarlier = useCallback(async (): Promise<void> => {
    const socket = socketRef.current;
    const first = seq.lines[0]?.line;
    if (!socket || first === undefined || first <= 1) return;
    const reply = await socket.timeout(30_000).emitWithAck("conversion:earlier", { id, before: first, limit: 5000 });
    if (!reply.ok) return setProblem(reply.error);
    seq.prepend(reply.lines);
    for (const l of reply.lines) tracker.noteLine(l);
    setVersion((v) => v + 1);
  }, [id, seq, tracker]);

  useEffect(() => {
    // One render per animation frame however many batches arrived.
    const bump = () => {
      if (frame.current === null) frame.current = requestAnimationFrame(() => {
        frame.current = null;
        setVersion((v) => v + 1);
      });
    };
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ path: "/socket.io", withCredentials: true });
    socketRef.current = socket;
    const subscribe = () =>
      socket.emit("conversion:subscribe", { id, after: seq.last }, (reply) => {
        if (!reply.ok) {
          setConn("refused");
          setProblem(reply.error);
          return;
        }
        setConn("live");
        setProblem(null);
        setStatus(reply.status);
        setAgent(reply.agent ? { agent: reply.agent, receivedAt: Date.now() } : null);
      });
    socket.on("connect", subscribe);
    socket.on("disconnect", () => setConn("offline"));
    socket.on("connect_error", (e) => {
      setConn("offline");
      if (e.message === "unauthorized") setProblem("Your session ended: sign in again to keep watching.");
    });
    socket.on("session:revoked", () => window.location.reload());
    socket.on("conversion:logs", (p) => {
      if (p.id !== id) return;
      const before = seq.lines.length;
      if (seq.accept(fromLiveColumns(p.columns)) > 0) {
        for (let i = before; i < seq.lines.length; i++) tracker.noteLine(seq.lines[i]!);
        setStage(seq.lines[seq.lines.length - 1]!.stage);
        bump();
      }
    });
    socket.on("conversion:progress", (p) => {
      if (p.id !== id) return;
      tracker.add(p.progress);
      setStage(p.progress.stage);
      bump();
    });
    socket.on("conversion:status", (p) => {
      if (p.id !== id) return;
      setStatus(p.status);
      router.refresh(); // the server-rendered parts (header, plan, result, buttons) follow the status
    });
    socket.on("conversion:agent", (p) => {
      if (p.id === id) setAgent(p.agent ? { agent: p.agent, receivedAt: Date.now() } : null);
    });
    const timer = setInterval(() => {
      setNow(Date.now());
      // A line missing for a while (a lost broadcast): ask again from the last line held.
      if (socket.connected && seq.stalled(GAP_RESUBSCRIBE_MS)) subscribe();
    }, 1000);
    return () => {
      clearInterval(timer);
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      socket.disconnect();
    };
  }, [id, seq, tracker, router]);

  const showProgress = ACTIVE.has(status) || tracker.latest !== null;
  const earlier = seq.lines.length > 0 ? seq.lines[0]!.line - 1 : 0;
  return (
    <>
      {showProgress ? (
        <Card>
          <CardHeader title="Progress" actions={<Connection conn={conn} active={ACTIVE.has(status)} />} />
          <CardBody>
            <LiveProgress status={status} stage={stage} tracker={tracker} agent={agent} now={now} />
            {problem ? <p className="mt-2 text-sm text-danger-fg">{problem}</p> : null}
          </CardBody>
        </Card>
      ) : null}
      {children}
      <Card aria-labelledby="log-title">
        <CardHeader
          title={<span id="log-title">Log</span>}
          description={earlier > 0 ? `The newest ${seq.lines.length} of ${seq.last} lines, newest at the bottom.` : `${Math.max(total, seq.last)} lines, newest at the bottom.`}
          actions={showProgress ? undefined : <Connection conn={conn} active={ACTIVE.has(status)} />}
        />
        <LiveLog lines={seq.lines} version={version} conversionId={id} onEarlier={earlier > 0 ? loadEarlier : undefined} empty={ACTIVE.has(status) ? "No log lines yet: they appear when an agent starts." : "No log lines."} />
      </Card>
    </>
  );
}

function Connection({ conn, active }: { conn: Conn; active: boolean }) {
  const text = conn === "live" ? (active ? "Live" : "Up to date") : conn === "connecting" ? "Connecting…" : conn === "refused" ? "Not watching" : "Reconnecting…";
  return <span className="text-xs text-fg-muted" data-testid="live-state" data-state={conn}>{text}</span>;
}
