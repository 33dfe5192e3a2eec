// The explorer's query as it lives in the URL (?kind=app&name=kernel&os=linux...): read from
// search params, written back in one canonical order, and the presets for common guests.
export const QUERY_FIELDS = ["kind", "name", "os", "distro", "major", "minor", "arch"] as const;
export type QueryField = (typeof QUERY_FIELDS)[number];
export type ExplorerKind = "app" | "capability";

/** What the form shows: every field as typed ("" = blank). */
export type ExplorerValues = { kind: ExplorerKind } & Record<Exclude<QueryField, "kind">, string>;

export type SearchParams = Record<string, string | string[] | undefined>;

function first(v: string | string[] | undefined): string {
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? "";
}

export function valuesFromParams(params: SearchParams): ExplorerValues {
  return {
    kind: first(params.kind) === "capability" ? "capability" : "app",
    name: first(params.name),
    os: first(params.os),
    distro: first(params.distro),
    major: first(params.major),
    minor: first(params.minor),
    arch: first(params.arch),
  };
}

/** Whether the URL asks a question (a name or an os): then the page answers it. */
export function isAsked(values: ExplorerValues): boolean {
  return values.name !== "" || values.os !== "";
}

/** The canonical query string: fixed field order, blank fields left out. */
export function explorerQueryString(values: Partial<Record<QueryField, string>>): string {
  const params = new URLSearchParams();
  for (const field of QUERY_FIELDS) {
    const v = values[field]?.trim();
    if (v) params.set(field, v);
  }
  return params.toString();
}

export function explorerHref(values: Partial<Record<QueryField, string>>): string {
  const qs = explorerQueryString(values);
  return qs ? `/explorer?${qs}` : "/explorer";
}

/** Undefined for blank: an absent attribute is not an empty one. */
export function toExplainInput(values: ExplorerValues) {
  const opt = (v: string) => (v === "" ? undefined : v);
  return { kind: values.kind, name: values.name, os: values.os, distro: opt(values.distro), major: opt(values.major), minor: opt(values.minor), arch: opt(values.arch) };
}

export type Preset = { id: string; label: string; detail: string; values: ExplorerValues };

const p = (id: string, label: string, detail: string, v: Omit<ExplorerValues, "distro" | "minor" | "major" | "arch"> & Partial<ExplorerValues>): Preset => ({
  id,
  label,
  detail,
  values: { distro: "", major: "", minor: "", arch: "", ...v },
});

/** Guests virt-v2v meets every day, asked the way its converters ask (see the reference, 2.1). */
export const PRESETS: readonly Preset[] = [
  p("rhel54-kernel", "RHEL 5.4 x86_64 kernel", "app · replacement kernel", { kind: "app", name: "kernel", os: "linux", distro: "rhel", major: "5", minor: "4", arch: "x86_64" }),
  p("rhel53-kernel-pae", "RHEL 5.3 i686 kernel-PAE", "app · Xen kernel replacement", { kind: "app", name: "kernel-PAE", os: "linux", distro: "rhel", major: "5", minor: "3", arch: "i686" }),
  p("rhel5-virtio", "RHEL 5.4 virtio", "capability · with its dependencies", { kind: "capability", name: "virtio", os: "linux", distro: "rhel", major: "5", minor: "4", arch: "x86_64" }),
  p("rhel6-virtio", "RHEL 6 virtio", "capability · already satisfied", { kind: "capability", name: "virtio", os: "linux", distro: "rhel", major: "6", minor: "2", arch: "x86_64" }),
  p("win2008r2-virtio", "Windows 2008 R2 x64 virtio", "app · driver directory", { kind: "app", name: "virtio", os: "windows", major: "6", minor: "1", arch: "x86_64" }),
  p("winxp-virtio", "Windows XP 32-bit virtio", "app · driver directory", { kind: "app", name: "virtio", os: "windows", major: "5", minor: "1", arch: "i386" }),
  p("win-rhsrvany", "Windows 2008 R2 rhsrvany", "app · firstboot service", { kind: "app", name: "rhsrvany", os: "windows", major: "6", minor: "1", arch: "x86_64" }),
  p("fedora-qxl", "Fedora 14 qxl", "capability · X driver", { kind: "capability", name: "qxl", os: "linux", distro: "fedora", major: "14", minor: "0", arch: "x86_64" }),
];

export function sameValues(a: ExplorerValues, b: ExplorerValues): boolean {
  return QUERY_FIELDS.every((f) => a[f] === b[f]);
}
