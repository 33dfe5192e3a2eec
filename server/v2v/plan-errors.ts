// Refusals of the conversion planner, typed like the rest of the core (classify with
// instanceof and `code`). Messages are virt-v2v's where it has one.
import { V2vError } from "./errors.ts";

export type PlanErrorCode =
  | "INVALID_OUTPUT_METHOD" // -o not libvirt, local or rhev
  | "INVALID_OUTPUT_FORMAT" // -of (or the source format it defaults to) not raw or qcow2
  | "INVALID_POOL" // -o libvirt: the pool is not on the target
  | "NO_STORAGE_DOMAIN" // -o rhev: no storage domain under the export path
  | "UNKNOWN_NETWORK" // a NIC mapped to a network the target lacks
  | "UNKNOWN_BRIDGE" // a NIC mapped to a bridge the target lacks
  | "DISKS_MISMATCH" // measured disks do not match the guest's disks
  | "WINDOWS_SOFTWARE_MISSING" // a matched Windows app (virtio folder, rhsrvany...) is not on the host
  | "DOMAIN_EXISTS" // -o libvirt: a domain of the output name is already defined
  | "NO_OS"; // the facts say no operating system

export class PlanError extends V2vError {
  constructor(code: PlanErrorCode, message: string) {
    super(code, message);
    this.name = "PlanError";
  }
}

/** virt-v2v 0.9.1 (LibVirtTarget): the -os pool does not exist on the output connection. */
export function invalidPoolError(pool: string): PlanError {
  return new PlanError("INVALID_POOL", `Output pool ${pool} is not a valid storage pool.`);
}

/** virt-v2v 0.9.1 (RHEVTarget): no storage-domain UUID directory under the export path. */
export function noStorageDomainError(path: string): PlanError {
  return new PlanError("NO_STORAGE_DOMAIN", `${path} does not contain an initialised storage domain.`);
}
