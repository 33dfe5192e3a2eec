// ferry software-plan: what virt-v2v would install into a guest for a capability.
import {
  GuestFactsError,
  NoMatchError,
  missingSoftwareError,
  parseGuestFacts,
  planSoftware,
  type SoftwarePlan,
} from "../../v2v/index.ts";
import { parseOptions, requireOne } from "../args.ts";
import type { Command } from "../command.ts";
import { EXIT_FAILURE, EXIT_OK, type CliIo } from "../io.ts";
import { loadConfigs } from "../load-configs.ts";

function readFacts(path: string, io: CliIo): ReturnType<typeof parseGuestFacts> {
  let json: unknown;
  try {
    json = JSON.parse(io.readFile(path));
  } catch (error) {
    return { ok: false, problems: [error instanceof Error ? error.message : String(error)] };
  }
  return parseGuestFacts(json);
}

/** The contract's keys first (install, upgrade, kernel, files, missing), then the extras. */
function planJson(plan: SoftwarePlan): string {
  const { install, upgrade, kernel, files, missing, ...rest } = plan;
  return JSON.stringify({ install, upgrade, kernel, files, missing, ...rest });
}

export const softwarePlanCommand: Command = {
  name: "software-plan",
  summary: "plan the packages and files a capability needs in a guest",
  usage: [
    "ferry software-plan -f FILE [-f FILE ...] --guest FACTS.json --capability NAME",
    "                    [--software-root DIR]",
    "",
    "Prints the plan as JSON (install, upgrade, kernel, files, missing). When required",
    "files are missing on this host it also prints virt-v2v's message on stderr and",
    "exits 1. --software-root replaces each file's <path-root> for relative paths.",
    "FACTS.json is described in server/v2v/README.md.",
  ].join("\n"),
  run(args, io) {
    const { values } = parseOptions(args, {
      config: { type: "string", short: "f", multiple: true },
      guest: { type: "string" },
      capability: { type: "string" },
      "software-root": { type: "string" },
    });
    const guestPath = requireOne(values.guest, "--guest");
    const capability = requireOne(values.capability, "--capability");
    const files = loadConfigs(values.config, io);
    const facts = readFacts(guestPath, io);
    if (!facts.ok) {
      io.stderr(facts.problems.map((p) => `${guestPath}: ${p}\n`).join(""));
      return EXIT_FAILURE;
    }
    try {
      const plan = planSoftware({
        files,
        facts: facts.facts,
        capability,
        exists: (path) => io.readable(path),
        softwareRoot: values["software-root"],
      });
      io.stdout(planJson(plan) + "\n");
      const missing = missingSoftwareError(plan);
      if (!missing) return EXIT_OK;
      io.stderr(`${missing.message}\n`);
      return EXIT_FAILURE;
    } catch (error) {
      if (!(error instanceof NoMatchError) && !(error instanceof GuestFactsError)) throw error;
      io.stderr(`${error.message}\n`);
      return EXIT_FAILURE;
    }
  },
};
