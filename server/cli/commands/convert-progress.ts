// How `ferry convert` shows a conversion on the terminal, local or remote: log lines with the
// elapsed time as virt-v2v 2.x prints them (`[  12.3] Copying disk 1/1`), warnings on stderr,
// and on a tty a progress bar for the stage that reports one (the copy), redrawn in place.
// Off a tty only the lines are printed (the copy's `Transferring storage volume NAME: SIZE
// bytes` line is virt-v2v 0.9's non-tty form), so logs and pipes stay clean.
import type { CliIo } from "../io.ts";

export type Progress = { stage: string; done: number; total: number; unit: string; item?: string | undefined };

export type Printer = {
  line(level: string, message: string): void;
  progress(p: Progress | null): void;
  /** Ends a bar in progress with a newline (before a prompt or the final message). */
  finish(): void;
};

const WIDTH = 30;

export function formatBar(p: Progress): string {
  const fraction = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
  const filled = Math.round(fraction * WIDTH);
  return `    (${(fraction * 100).toFixed(2)}/100%) [${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${p.stage}${p.item ? ` ${p.item}` : ""}`;
}

export function createPrinter(io: CliIo, options: { tty: boolean; start?: number; now?: () => number }): Printer {
  const now = options.now ?? Date.now;
  const start = options.start ?? now();
  let barShown = false;
  let lastBar = "";
  const clearBar = () => {
    if (barShown) io.stdout("\r\x1b[K");
    barShown = false;
  };
  return {
    line(level, message) {
      if (level === "debug") return;
      clearBar();
      const stamp = `[${((now() - start) / 1000).toFixed(1).padStart(6)}]`;
      if (level === "warn") io.stderr(`ferry: warning: ${message}\n`);
      else if (level === "error") io.stderr(`ferry: error: ${message}\n`);
      else io.stdout(`${stamp} ${message}\n`);
      if (lastBar && options.tty) {
        io.stdout(lastBar);
        barShown = true;
      }
    },
    progress(p) {
      if (!options.tty) return;
      if (!p || p.total <= 0) {
        clearBar();
        lastBar = "";
        return;
      }
      lastBar = formatBar(p);
      io.stdout(`\r\x1b[K${lastBar}`);
      barShown = true;
      if (p.done >= p.total) {
        io.stdout("\n");
        barShown = false;
        lastBar = "";
      }
    },
    finish() {
      if (barShown) io.stdout("\n");
      barShown = false;
      lastBar = "";
    },
  };
}

/** virt-v2v 0.9.1's closing line for the drivers a guest ended up with. */
export function driversLine(name: string, drivers: { block: string; net: string }): string {
  const blk = drivers.block.startsWith("virtio");
  const net = drivers.net.startsWith("virtio");
  if (blk && net) return `${name} configured with virtio drivers.`;
  if (blk) return `${name} configured with virtio storage only.`;
  if (net) return `${name} configured with virtio networking only.`;
  return `${name} configured without virtio drivers.`;
}
