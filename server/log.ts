// A small leveled logger for the console process; lines go to stderr with a component tag.
type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
  const l = process.env.FERRY_LOG_LEVEL as Level | undefined;
  return order[l ?? "info"] ?? order.info;
}

export type Logger = Record<Level, (msg: string, extra?: Record<string, unknown>) => void>;

export function logger(component: string): Logger {
  const emit = (level: Level) => (msg: string, extra?: Record<string, unknown>) => {
    if (order[level] < threshold()) return;
    const tail = extra ? " " + JSON.stringify(extra) : "";
    process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${component}] ${msg}${tail}\n`);
  };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}
