// Plain words for a plan's decisions: which rule mapped a NIC, which rung matched an app.
import type { PlannedNic } from "@/server/v2v/conversion-plan";

export function nicRuleText(nic: Pick<PlannedNic, "rule" | "defaultSource" | "file">): string {
  const where = nic.file ? ` in ${nic.file}` : "";
  switch (nic.rule) {
    case "cli-mapping":
      return "-n/-b in:out mapping";
    case "profile":
      return `the profile's mapping${where}`;
    case "config":
      return `network mapping${where}`;
    case "default":
      return nic.defaultSource === "cli" ? "default from -n/-b" : nic.defaultSource === "profile" ? `the profile's default${where}` : `default mapping${where}`;
    case "cli-type-default":
      return "-n/-b :out default for its type";
    case "invalid":
      return `invalid mapping${where}: left unchanged`;
    case "unmapped":
      return "no mapping applies: left unchanged";
  }
}

export const nicText = (nic: { type: string; name: string }) => `${nic.type} ${nic.name}`;
