// Tiny RPMs built with the host's rpmbuild, named and versioned as RHEL 5.4's: the guest's
// rpm database is filled from them (--justdb) and the non-Xen kernel is the one the
// conversion installs from a software repository.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export type RpmSpec = {
  name: string;
  version: string;
  release: string;
  summary: string;
  /** A directory whose contents are the package's payload (paths relative to /). */
  payload?: string;
  /** Payload paths listed in %files (a directory includes everything under it). */
  files?: string[];
  post?: string;
  /** Extra Provides: (e.g. /bin/sh, which the kernel's %post needs). */
  provides?: string[];
};

function specText(spec: RpmSpec): string {
  const lines = [
    `Name: ${spec.name}`,
    `Version: ${spec.version}`,
    `Release: ${spec.release}`,
    `Summary: ${spec.summary}`,
    "License: GPLv2",
    "Group: System Environment/Base",
    "Vendor: Red Hat, Inc.",
    "BuildArch: x86_64",
    "AutoReqProv: no",
    ...(spec.provides ?? []).map((p) => `Provides: ${p}`),
    "",
    "%description",
    `${spec.summary} (a stand-in built for Ferry's tests).`,
    "",
    "%install",
    spec.payload ? `cp -a ${JSON.stringify(spec.payload)}/. %{buildroot}/` : "mkdir -p %{buildroot}",
    "",
  ];
  if (spec.post) lines.push("%post", spec.post, "");
  lines.push("%files", ...(spec.files ?? []), "");
  return lines.join("\n");
}

/** Builds the package into `outDir`; returns the RPM's path (NAME-V-R.x86_64.rpm). */
export function buildRpm(spec: RpmSpec, workDir: string, outDir: string): string {
  const top = join(workDir, `rpmbuild-${spec.name}`);
  mkdirSync(top, { recursive: true });
  const specPath = join(top, `${spec.name}.spec`);
  writeFileSync(specPath, specText(spec));
  const defines: [string, string][] = [
    ["_topdir", top],
    ["_rpmdir", join(top, "RPMS")],
    ["_build_id_links", "none"],
    ["debug_package", "%{nil}"],
    // No stripping or compressing: the module files stay as written.
    ["__os_install_post", "%{nil}"],
    // gzip payloads, as RHEL 5's rpm reads them.
    ["_binary_payload", "w9.gzdio"],
    ["_dbpath", join(top, "db")],
  ];
  execFileSync("rpmbuild", ["-bb", "--quiet", ...defines.flatMap(([k, v]) => ["--define", `${k} ${v}`]), specPath], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const file = `${spec.name}-${spec.version}-${spec.release}.x86_64.rpm`;
  const built = readdirSync(join(top, "RPMS", "x86_64"));
  if (!built.includes(file)) throw new Error(`rpmbuild made ${built.join(", ")}, not ${file}`);
  mkdirSync(outDir, { recursive: true });
  cpSync(join(top, "RPMS", "x86_64", file), join(outDir, file));
  return join(outDir, file);
}
