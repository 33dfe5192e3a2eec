// Every `ferry` verb.
import type { Command } from "../command.ts";
import { agentCommand } from "./agent.ts";
import { configCommand } from "./config.ts";
import { convertCommand } from "./convert.ts";
import { matchCommand } from "./match.ts";
import { planCommand } from "./plan.ts";
import { softwarePlanCommand } from "./software-plan.ts";
import { vercmpCommand } from "./vercmp.ts";

export const commands: Command[] = [vercmpCommand, matchCommand, softwarePlanCommand, planCommand, convertCommand, configCommand, agentCommand];
