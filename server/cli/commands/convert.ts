// ferry convert: virt-v2v's command line (0.9.1 options, ../shared/docs/virt-v2v-reference.md
// §3.1), so a script that ran virt-v2v runs Ferry by changing the command name. Local mode
// runs the whole pipeline on this host; `--server URL` (token in FERRY_TOKEN) submits the
// conversion to a console and follows it. Exit 0 success, 1 fatal (including virt-v2v's usage
// messages such as "You must specify a filename", which virt-v2v also exits 1 for), 2 bad option
// syntax (Getopt::Long's "Unknown option: X" / "Option X requires an argument").
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import type { Command } from "../command.ts";
import { CliUsageError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from "../io.ts";
import { V2V_OPTIONS, normalizePlanArgs } from "./plan-args.ts";
import { oneOf, sourceInput } from "./plan.ts";
import { runLocal } from "./convert-local.ts";
import { runRemote, type RemoteDeps } from "./convert-remote.ts";

export const CONVERT_USAGE = [
  "ferry convert [-i libvirt|libvirtxml] [-ic URI] [-o libvirt|local|rhev] [-oc URI] [-os STORAGE]",
  "              [-of raw|qcow2] [-oa sparse|preallocated] [-on NAME] [-f FILE ...] [-n NETWORK ...]",
  "              [-b BRIDGE ...] [-p PROFILE] [--root ask|single|first|/dev/...] [--copy-only] [--server URL] GUEST|FILE",
  "ferry convert --list-profiles [-f FILE ...] [--server URL]",
  "",
  "Converts a guest to run on KVM, with virt-v2v's options and meanings:",
  "  -i libvirtxml FILE      read the guest from a domain XML file; -i libvirt (default) -ic URI GUEST",
  "  -o libvirt|local|rhev   output method; -oc URI (libvirt); -os pool, directory or export domain",
  "  -op POOL                deprecated alias of -os",
  "  -of raw|qcow2, -oa sparse|preallocated, -on NAME   output format, allocation, name",
  "  -f, --config FILE       configuration file, repeatable, searched in order (default: /etc/virt-v2v.conf",
  "                          when readable, then the vendor database Ferry ships)",
  "  -n, --network NAME|IN:OUT, -b, --bridge NAME|IN:OUT   NIC mappings",
  "  -p, --profile NAME      a target profile; --list-profiles prints them",
  "  --root ask|single|first|/dev/...   multi-boot handling; Ferry converts single-OS guests and refuses",
  "                          a multi-boot guest whichever is given (its inspection picks no root)",
  "  --software-root DIR     replaces the files' path-root; --domain-type kvm|qemu (qemu: no KVM here)",
  "  --copy-only             (Ferry's own, local mode) copy the disks and write the output metadata only:",
  "                          no inspection, software or conversion; the guest gets IDE and rtl8139 devices",
  "",
  "Local mode (no --server) runs the conversion on this host and prints its log.",
  "Remote mode: --server URL with an API token in FERRY_TOKEN submits it to a console and streams",
  "its log (polling /api/v1/conversions/ID/log?after=SEQ); -f files are then the console's own",
  "configuration stack, not local files. Ctrl-C asks whether to cancel the conversion or detach",
  "(without a terminal: cancels). Exit 0 success, 1 failure, 2 bad option syntax.",
].join("\n");

const OPTIONS = {
  ...V2V_OPTIONS,
  "list-profiles": { type: "boolean" },
  root: { type: "string" },
  server: { type: "string" },
  connect: { type: "boolean", short: "c" },
  version: { type: "boolean" },
  osd: { type: "string" },
  "copy-only": { type: "boolean" },
} as const;

/** Getopt::Long's words for a parseArgs error: `Unknown option: X`, `Option X requires an argument`. */
function getoptMessage(error: Error & { code?: string }): string {
  const unknown = /Unknown option '-{1,2}([^']+)'/.exec(error.message);
  if (unknown) return `Unknown option: ${unknown[1]}`;
  const missing = /Option '(?:-\w, )?-{1,2}([\w-]+)/.exec(error.message);
  if (missing && error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") return `Option ${missing[1]} requires an argument`;
  return error.message.split("\n")[0] ?? error.message;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version?: string };
  return pkg.version ?? "0.0.0";
}

/** --root's values as virt-v2v 0.9.1 takes them; anything else is its usage error. */
export function checkRoot(value: string | undefined): void {
  if (value === undefined || ["ask", "single", "first"].includes(value) || value.startsWith("/dev/")) return;
  throw new CliUsageError(`Unknown --root option "${value}".`);
}

export function createConvertCommand(remoteDeps: Partial<RemoteDeps> = {}): Command {
  return {
    name: "convert",
    summary: "convert a guest with virt-v2v's options (locally, or on a console with --server)",
    usage: CONVERT_USAGE,
    async run(args, io: CliIo) {
      if (args.includes("-?")) {
        io.stdout(`Usage: ${CONVERT_USAGE}\n`);
        return EXIT_OK;
      }
      let parsed;
      try {
        parsed = parseArgs({ args: normalizePlanArgs(args), options: OPTIONS, allowPositionals: true, strict: true });
      } catch (error) {
        if (!(error instanceof Error && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"))) throw error;
        io.stderr(`${getoptMessage(error as Error & { code?: string })}\nTry 'ferry convert --help' for more information.\n`);
        return EXIT_USAGE;
      }
      const { values, positionals } = parsed;
      if (values.version) {
        io.stdout(`ferry ${version()}\n`);
        return EXIT_OK;
      }
      try {
        if (values.connect) throw new CliUsageError("Use -ic or -oc to specify an input or an output connection");
        checkRoot(values.root);
        const output = values.output;
        if (output !== undefined && !["libvirt", "local", "rhev"].includes(output)) throw new CliUsageError(`${output} is not a valid output method.`);
        if (values.oa !== undefined && !["sparse", "preallocated"].includes(values.oa)) throw new CliUsageError("allocation scheme must be sparse or preallocated");
        if (values.vmtype !== undefined && !["desktop", "server"].includes(values.vmtype)) throw new CliUsageError("vmtype must be either 'desktop' or 'server'.");
        const domainType = oneOf(values["domain-type"], ["kvm", "qemu"], "--domain-type");
        const options = { ...values, os: values.os ?? values.op ?? values.osd, domainType };
        if (values.server !== undefined && values["copy-only"]) throw new CliUsageError("--copy-only runs on this host only: it cannot be used with --server");
        if (values.server !== undefined) {
          return await runRemote(io, { server: values.server, options, positionals, listProfiles: values["list-profiles"] === true }, remoteDeps);
        }
        if (values["list-profiles"]) return runLocal(io, { options, source: undefined, listProfiles: true });
        const source = sourceInput(values.input ?? "libvirt", positionals, values.ic, io);
        return await runLocal(io, { options, source, listProfiles: false });
      } catch (error) {
        if (!(error instanceof CliUsageError)) throw error;
        // virt-v2v's pod2usage with a message: the message, exit 1 (syntax errors exit 2 above).
        io.stderr(`ferry: ${error.message}\n`);
        return EXIT_FAILURE;
      }
    },
  };
}

export type ConvertOptions = {
  input?: string | undefined;
  ic?: string | undefined;
  output?: string | undefined;
  oc?: string | undefined;
  os?: string | undefined;
  of?: string | undefined;
  oa?: string | undefined;
  on?: string | undefined;
  config?: string[] | undefined;
  network?: string[] | undefined;
  bridge?: string[] | undefined;
  profile?: string | undefined;
  root?: string | undefined;
  "software-root"?: string | undefined;
  domainType?: "kvm" | "qemu" | undefined;
  "copy-only"?: boolean | undefined;
};

export const convertCommand = createConvertCommand();
