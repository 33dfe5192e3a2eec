// ferry convert --server URL: submits the conversion to a console's /api/v1 with the API token
// in FERRY_TOKEN, then follows it by polling GET /api/v1/conversions/ID/log?after=SEQ (plain
// HTTP: works through any proxy and needs no socket client), printing each new line and, on a
// tty, a progress bar. Exits with the conversion's result: 0 succeeded (or planned), 1 otherwise.
// Ctrl-C on a tty asks whether to cancel the conversion or detach from it; without a terminal
// it cancels (a script's Ctrl-C or SIGTERM means stop) and waits for the cancelled state.
import { readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { defaultLibvirtUri } from "./plan-target.ts";
import { EXIT_FAILURE, EXIT_OK, type CliIo } from "../io.ts";
import type { ConvertOptions } from "./convert.ts";
import { createPrinter, type Progress } from "./convert-progress.ts";

export type RemoteDeps = {
  fetch: typeof fetch;
  token: string | undefined;
  tty: boolean;
  pollMs: number;
  /** Asks a question on the terminal; resolves with the answer line. */
  ask: (question: string) => Promise<string>;
  /** Registers the Ctrl-C handler; returns its removal. */
  onInterrupt: (handler: () => void) => () => void;
};

export type RemoteRun = { server: string; options: ConvertOptions; positionals: string[]; listProfiles: boolean };

const FINAL = new Set(["succeeded", "planned", "failed", "cancelled", "interrupted"]);

type ApiError = { error?: { code?: string; message?: string; fields?: Record<string, string[]> } };
type Conversion = { id: string; number: number; guestName: string; status: string; error: string | null };
type LogPage = { status: string; attempt: number; progress: Progress | null; error: string | null; lines: { seq: number; level: string; stage: string; message: string }[] };

class RemoteError extends Error {}

function defaults(): RemoteDeps {
  return {
    fetch: globalThis.fetch,
    token: process.env.FERRY_TOKEN,
    tty: process.stdin.isTTY === true && process.stderr.isTTY === true,
    pollMs: Number(process.env.FERRY_POLL_MS ?? 1000),
    ask: (question) =>
      new Promise((resolve) => {
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        rl.question(question, (answer) => {
          rl.close();
          resolve(answer);
        });
      }),
    onInterrupt: (handler) => {
      process.on("SIGINT", handler);
      process.on("SIGTERM", handler);
      return () => {
        process.off("SIGINT", handler);
        process.off("SIGTERM", handler);
      };
    },
  };
}

function describeError(status: number, body: ApiError): string {
  const e = body.error;
  if (!e) return `the console answered HTTP ${status}`;
  const fields = Object.entries(e.fields ?? {}).map(([f, msgs]) => `  ${f}: ${msgs.join(" ")}`);
  return [e.message ?? e.code ?? `HTTP ${status}`, ...fields].join("\n");
}

export async function runRemote(io: CliIo, run: RemoteRun, partial: Partial<RemoteDeps> = {}): Promise<number> {
  const deps = { ...defaults(), ...partial };
  if (!deps.token) {
    io.stderr("ferry: --server needs an API token in FERRY_TOKEN (create one in the console under Settings, API tokens).\n");
    return EXIT_FAILURE;
  }
  const base = `${run.server.replace(/\/+$/, "")}/api/v1`;
  const call = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    let res: Response;
    try {
      res = await deps.fetch(`${base}${route}`, {
        method,
        headers: { authorization: `Bearer ${deps.token}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new RemoteError(`cannot reach ${run.server}: ${e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e)}`);
    }
    const json = (await res.json().catch(() => ({}))) as T & ApiError;
    if (!res.ok) throw new RemoteError(describeError(res.status, json));
    return json;
  };

  try {
    if (run.listProfiles) return await listProfiles(io, call);
    if (run.options.config?.length) io.stderr("ferry: warning: -f is ignored with --server: the console's configuration stack is used.\n");
    const conversion = await call<Conversion>("POST", "/conversions", requestBody(run));
    io.stdout(`Conversion #${conversion.number} (${conversion.guestName}) queued on ${run.server}\n`);
    return await follow(io, deps, call, conversion);
  } catch (e) {
    if (!(e instanceof RemoteError)) throw e;
    io.stderr(`ferry: ${e.message}\n`);
    return EXIT_FAILURE;
  }
}

type Call = <T>(method: string, route: string, body?: unknown) => Promise<T>;

async function listProfiles(io: CliIo, call: Call): Promise<number> {
  const { layers } = await call<{ layers: { items: { name: string }[] }[] }>("GET", "/profiles");
  const names: string[] = [];
  for (const layer of layers) for (const p of layer.items) if (!names.includes(p.name)) names.push(p.name);
  io.stdout(["Defined target profiles:", ...names.map((n) => `  ${n}`)].join("\n") + "\n");
  return EXIT_OK;
}

/** The API request for the options given: the XML file is read here and sent as text. */
function requestBody(run: RemoteRun): unknown {
  const o = run.options;
  const method = o.input ?? "libvirt";
  const first = run.positionals[0]!;
  const source =
    method === "libvirtxml"
      ? { method, xml: readXml(first), fileName: path.basename(first) }
      : { method, uri: o.ic ?? defaultLibvirtUri(), guest: first };
  return {
    source,
    output: { method: o.output, uri: o.oc, storage: o.os, format: o.of, allocation: o.oa, name: o.on },
    profile: o.profile,
    network: o.network,
    bridge: o.bridge,
    dryRun: false,
  };
}

function readXml(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new RemoteError(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function follow(io: CliIo, deps: RemoteDeps, call: Call, conversion: Conversion): Promise<number> {
  const printer = createPrinter(io, { tty: deps.tty });
  let after = -1;
  let attempt: number | undefined;
  let interrupted = false;
  let prompting = false;
  let detached = false;
  let cancelSent = false;
  const cancel = async () => {
    if (cancelSent) return;
    cancelSent = true;
    io.stderr(`ferry: cancelling conversion #${conversion.number}...\n`);
    await call("POST", `/conversions/${conversion.id}/cancel`).catch((e: unknown) => io.stderr(`ferry: ${e instanceof Error ? e.message : String(e)}\n`));
  };
  const remove = deps.onInterrupt(() => {
    interrupted = true;
  });
  try {
    for (;;) {
      if (interrupted && !prompting) {
        interrupted = false;
        printer.finish();
        if (!deps.tty) await cancel();
        else {
          prompting = true;
          const answer = (await deps.ask(`Conversion #${conversion.number} is still running on the server. [c]ancel it, [d]etach (it continues), or [r]esume following? `)).trim().toLowerCase();
          prompting = false;
          if (answer.startsWith("c")) await cancel();
          else if (answer.startsWith("d")) detached = true;
        }
      }
      if (detached) {
        io.stdout(`Detached: conversion #${conversion.number} continues on the server (GET /api/v1/conversions/${conversion.id}).\n`);
        return EXIT_OK;
      }
      const page = await call<LogPage>("GET", `/conversions/${conversion.id}/log?after=${after}`);
      attempt ??= page.attempt;
      if (page.attempt !== attempt) {
        // A retry by someone else started a new attempt: follow it from its start.
        attempt = page.attempt;
        after = -1;
        continue;
      }
      for (const line of page.lines) {
        printer.line(line.level, line.message);
        after = line.seq;
      }
      if (FINAL.has(page.status) && page.lines.length === 0) {
        printer.finish();
        if (page.status === "succeeded" || page.status === "planned") {
          io.stdout(`Conversion #${conversion.number} ${page.status}.\n`);
          return EXIT_OK;
        }
        io.stderr(`ferry: conversion #${conversion.number} ${page.status}${page.error ? `: ${page.error}` : "."}\n`);
        return EXIT_FAILURE;
      }
      printer.progress(page.status === "running" ? page.progress : null);
      if (page.lines.length === 0) await new Promise((r) => setTimeout(r, deps.pollMs));
    }
  } finally {
    remove();
  }
}
