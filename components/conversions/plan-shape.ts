// Whether a stored plan has the shape the plan view reads (PLAN_VERSION 1). A plan written by
// a newer or older agent is shown as JSON instead of breaking the conversion's page.
import { PLAN_VERSION, type ConversionPlan } from "@/server/v2v/conversion-plan";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function readablePlan(plan: unknown): plan is ConversionPlan {
  if (!isObject(plan) || plan.version !== PLAN_VERSION) return false;
  const { guest, output, drivers } = plan;
  return (
    isObject(guest) && isObject(guest.facts) && isObject(output) && isObject(drivers) &&
    Array.isArray(plan.disks) && plan.disks.every((d) => isObject(d) && isObject(d.source)) &&
    Array.isArray(plan.nics) && plan.nics.every((n) => isObject(n) && isObject(n.from) && isObject(n.to)) &&
    Array.isArray(plan.warnings) &&
    (plan.software === null || plan.software === undefined || (isObject(plan.software) && Array.isArray(plan.software.files) && isObject(plan.software.capability)))
  );
}
