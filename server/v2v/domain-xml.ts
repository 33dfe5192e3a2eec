// Reads a source guest's libvirt domain XML (`virsh dumpxml`, or an uploaded file for
// `-i libvirtxml`) into what virt-v2v 0.9.1 takes from it (reference §3.2 step 3): name,
// memory, vcpus, os, features, disks, removable media, NICs and graphics, each list in
// document order. Untrusted input: same checks as virt-v2v.conf (no DOCTYPE, no entities).
import { V2vError, formatIssue, type ConfigIssue } from "./errors.ts";
import { DOMAIN_XML_LIMITS, guardXml } from "./xml-guard.ts";
import { attrsOf, childrenOf, createCtx, pos, startOf, tagOf, textOf, type Ctx } from "./parse-context.ts";
import { CDATA, TEXT, createConfigParser, type OrderedNode } from "./xml-options.ts";

/** libvirt's `/domain/@type`; the ones a source guest of virt-v2v has, or any other as written. */
export type DomainType = "xen" | "vmware" | "kvm" | "qemu" | (string & {});

/** A value that must not reach a log: JSON, String() and util.inspect show `***`. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toJSON(): string {
    return "***";
  }
  toString(): string {
    return "***";
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return "Secret(***)";
  }
}

export type SourceDisk = {
  /** `file` (an image file) or `block` (a device node). */
  type: "file" | "block";
  /** `source/@file` or `source/@dev`. */
  path: string;
  /** `target/@dev`: xvda, hda, sda... */
  target: string;
  bus: string | undefined;
  /** The image format when the XML says it (driver type, tap's `aio` = raw); undefined = unknown. */
  format: string | undefined;
  driver: { name: string | undefined; type: string | undefined };
  readonly: boolean;
  line: number;
  column: number;
};

export type SourceRemovable = {
  device: "cdrom" | "floppy";
  type: string | undefined;
  /** Undefined for an empty drive. */
  path: string | undefined;
  target: string | undefined;
  bus: string | undefined;
  format: string | undefined;
};

export type SourceNic = {
  /** `bridge`, `network`, `ethernet`, `user`, ... as written. */
  type: string;
  /** The bridge or network name (`source/@bridge` or `source/@network`). */
  source: string | undefined;
  mac: string | undefined;
  model: string | undefined;
};

export type SourceGraphics = {
  type: string;
  keymap: string | undefined;
  /** `passwd`: copied to the output guest, never printed. */
  password: Secret | undefined;
};

export type SourceGuest = {
  name: string;
  uuid: string | undefined;
  type: DomainType;
  /** A running guest's `/domain/@id` (absent when it is shut off). */
  id: string | undefined;
  memoryKiB: number;
  currentMemoryKiB: number | undefined;
  vcpus: number;
  os: {
    type: string | undefined;
    arch: string | undefined;
    machine: string | undefined;
    loader: string | undefined;
    kernel: string | undefined;
    boot: string[];
  };
  bootloader: string | undefined;
  bootloaderArgs: string | undefined;
  /** Element names under `<features>`, in order. */
  features: string[];
  disks: SourceDisk[];
  removables: SourceRemovable[];
  nics: SourceNic[];
  graphics: SourceGraphics[];
  /** Devices read but not usable (e.g. a network disk), each with its position. */
  warnings: ConfigIssue[];
};

export type DomainXmlErrorCode = "DOMAIN_XML" | "NO_STORAGE";

/** Domain XML that cannot be converted; `file:line:column` says where. */
export class DomainXmlError extends V2vError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  constructor(code: DomainXmlErrorCode, issue: ConfigIssue) {
    super(code, issue.message);
    this.name = "DomainXmlError";
    this.file = issue.file;
    this.line = issue.line;
    this.column = issue.column;
  }
  format(): string {
    return formatIssue({ file: this.file, line: this.line, column: this.column, message: this.message });
  }
}

/** virt-v2v's message for a guest without disks. */
export const NO_STORAGE_MESSAGE = "Guest doesn't define any storage devices";

function fail(ctx: Ctx, offset: number, message: string, code: DomainXmlErrorCode = "DOMAIN_XML"): never {
  throw new DomainXmlError(code, { file: ctx.file, ...pos(ctx, offset), message });
}

function warn(ctx: Ctx, offset: number, message: string): void {
  ctx.warnings.push({ file: ctx.file, ...pos(ctx, offset), message });
}

function elements(node: OrderedNode): OrderedNode[] {
  return childrenOf(node).filter((child) => {
    const tag = tagOf(child);
    return tag !== TEXT && tag !== CDATA && !tag.startsWith("#");
  });
}

function child(node: OrderedNode, tag: string): OrderedNode | undefined {
  return elements(node).find((c) => tagOf(c) === tag);
}

function childText(node: OrderedNode, tag: string): string | undefined {
  const c = child(node, tag);
  return c ? textOf(c) : undefined;
}

function childAttr(node: OrderedNode, tag: string, attr: string): string | undefined {
  const c = child(node, tag);
  return c ? attrsOf(c)[attr] : undefined;
}

// libvirt's scaled integers (virScaleInteger): decimal units are powers of 1000, binary 1024.
const UNIT_BYTES: Record<string, number> = {
  b: 1, bytes: 1,
  kb: 1e3, k: 1024, kib: 1024,
  mb: 1e6, m: 1024 ** 2, mib: 1024 ** 2,
  gb: 1e9, g: 1024 ** 3, gib: 1024 ** 3,
  tb: 1e12, t: 1024 ** 4, tib: 1024 ** 4,
  pb: 1e15, p: 1024 ** 5, pib: 1024 ** 5,
  eb: 1e18, e: 1024 ** 6, eib: 1024 ** 6,
};

/** A memory element in KiB: no `unit` means KiB; other units round up to KiB, as libvirt does. */
function memoryKiB(ctx: Ctx, node: OrderedNode): number {
  const tag = tagOf(node);
  const text = textOf(node);
  if (text === undefined || !/^\d+$/.test(text)) {
    fail(ctx, startOf(node), `<${tag}> must be a whole number, not '${text ?? ""}'`);
  }
  const unit = attrsOf(node).unit;
  const factor = unit === undefined ? 1024 : UNIT_BYTES[unit.toLowerCase()];
  if (factor === undefined) fail(ctx, startOf(node), `unknown unit '${unit ?? ""}' on <${tag}>`);
  const kib = Math.ceil((Number(text) * factor) / 1024);
  if (!Number.isSafeInteger(kib)) fail(ctx, startOf(node), `<${tag}> is too large: ${text} ${unit ?? "KiB"}`);
  return kib;
}

// Xen's blktap drivers name their access method in `type`; `aio` is a raw image.
const TAP_FORMATS: Record<string, string> = { aio: "raw", sync: "raw", qcow: "qcow", qcow2: "qcow2", vhd: "vpc" };

function diskFormat(driverName: string | undefined, driverType: string | undefined): string | undefined {
  if (driverType === undefined || driverType === "") return undefined;
  if (driverName === "tap" || driverName === "tap2") return TAP_FORMATS[driverType];
  return driverType;
}

type DiskParts = {
  type: string | undefined;
  path: string | undefined;
  target: string | undefined;
  bus: string | undefined;
  driverName: string | undefined;
  driverType: string | undefined;
  readonly: boolean;
};

function diskParts(node: OrderedNode): DiskParts {
  const attrs = attrsOf(node);
  const source = child(node, "source");
  const sourceAttrs = source ? attrsOf(source) : undefined;
  const target = child(node, "target");
  const driver = child(node, "driver");
  return {
    type: attrs.type,
    path: sourceAttrs?.file ?? sourceAttrs?.dev,
    target: target ? attrsOf(target).dev : undefined,
    bus: target ? attrsOf(target).bus : undefined,
    driverName: driver ? attrsOf(driver).name : undefined,
    driverType: driver ? attrsOf(driver).type : undefined,
    readonly: child(node, "readonly") !== undefined,
  };
}

function readDisk(ctx: Ctx, node: OrderedNode, guest: SourceGuest): void {
  const device = attrsOf(node).device ?? "disk";
  const parts = diskParts(node);
  const at = startOf(node);
  if (device === "cdrom" || device === "floppy") {
    guest.removables.push({
      device,
      type: parts.type,
      path: parts.path,
      target: parts.target,
      bus: parts.bus,
      format: diskFormat(parts.driverName, parts.driverType),
    });
    return;
  }
  if (device !== "disk") {
    warn(ctx, at, `disk device '${device}' is not converted and is ignored`);
    return;
  }
  if (parts.type !== "file" && parts.type !== "block") {
    fail(ctx, at, `disk type '${parts.type ?? ""}' cannot be converted: only file and block disks can be copied`);
  }
  if (parts.target === undefined || parts.target === "") fail(ctx, at, "a disk has no <target dev=...>");
  if (parts.path === undefined || parts.path === "") {
    fail(ctx, at, `disk ${parts.target} has no source ${parts.type === "file" ? "file" : "dev"}`);
  }
  guest.disks.push({
    type: parts.type,
    path: parts.path,
    target: parts.target,
    bus: parts.bus,
    format: diskFormat(parts.driverName, parts.driverType),
    driver: { name: parts.driverName, type: parts.driverType },
    readonly: parts.readonly,
    ...pos(ctx, at),
  });
}

function readNic(ctx: Ctx, node: OrderedNode, guest: SourceGuest): void {
  const type = attrsOf(node).type;
  if (type === undefined || type === "") fail(ctx, startOf(node), "an <interface> has no type");
  const source = child(node, "source");
  const sourceAttrs = source ? attrsOf(source) : undefined;
  const name =
    type === "network" ? sourceAttrs?.network : type === "bridge" ? sourceAttrs?.bridge : sourceAttrs?.network ?? sourceAttrs?.bridge;
  guest.nics.push({
    type,
    source: name,
    mac: childAttr(node, "mac", "address"),
    model: childAttr(node, "model", "type"),
  });
}

function readGraphics(ctx: Ctx, node: OrderedNode, guest: SourceGuest): void {
  const attrs = attrsOf(node);
  if (attrs.type === undefined || attrs.type === "") fail(ctx, startOf(node), "a <graphics> has no type");
  guest.graphics.push({
    type: attrs.type,
    keymap: attrs.keymap,
    password: attrs.passwd === undefined ? undefined : new Secret(attrs.passwd),
  });
}

function positiveInt(ctx: Ctx, node: OrderedNode): number {
  const text = textOf(node);
  if (text === undefined || !/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    fail(ctx, startOf(node), `<${tagOf(node)}> must be a whole number of at least 1, not '${text ?? ""}'`);
  }
  return Number(text);
}

function checkedTree(ctx: Ctx, text: string): OrderedNode {
  const problem = guardXml(text, DOMAIN_XML_LIMITS, (offset) => pos(ctx, offset));
  if (problem) {
    // check-xml words some messages for virt-v2v.conf; say them for domain XML.
    let message = `malformed XML: ${problem.message}`;
    if (problem.declaration !== undefined) {
      message = `<!${problem.declaration}> declarations are not allowed in domain XML (entities are never expanded in untrusted input)`;
    } else if (problem.kind === "forbidden") {
      message = problem.message;
    } else if (problem.message.startsWith("no root element")) {
      message = "no root element: domain XML is a <domain> element";
    }
    fail(ctx, problem.offset, message);
  }
  let tree: OrderedNode[];
  try {
    tree = createConfigParser().parse(text) as OrderedNode[];
  } catch (error) {
    fail(ctx, 0, `malformed XML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const root = tree.find((node) => tagOf(node) !== TEXT && !tagOf(node).startsWith("#") && tagOf(node) !== "?xml");
  if (!root) fail(ctx, 0, "no root element: domain XML is a <domain> element");
  if (tagOf(root) !== "domain") fail(ctx, startOf(root), `the root element is <${tagOf(root)}>; domain XML must be <domain>`);
  return root;
}

/** Parses `virsh dumpxml` output; throws DomainXmlError (code NO_STORAGE when there are no disks). */
export function parseDomainXml(text: string, file = "domain.xml"): SourceGuest {
  const ctx = createCtx(text, file);
  const root = checkedTree(ctx, text);
  const rootAttrs = attrsOf(root);
  const type = rootAttrs.type;
  if (type === undefined || type === "") fail(ctx, startOf(root), "<domain> has no type attribute");

  const nameNode = child(root, "name");
  const name = nameNode ? textOf(nameNode) : undefined;
  if (name === undefined) fail(ctx, nameNode ? startOf(nameNode) : startOf(root), "the guest has no <name>");
  const memoryNode = child(root, "memory");
  if (!memoryNode) fail(ctx, startOf(root), "the guest has no <memory>");
  const currentNode = child(root, "currentMemory");
  const vcpuNode = child(root, "vcpu");
  const osNode = child(root, "os");
  const typeNode = osNode ? child(osNode, "type") : undefined;
  const featuresNode = child(root, "features");

  const guest: SourceGuest = {
    name,
    uuid: childText(root, "uuid"),
    type,
    id: rootAttrs.id,
    memoryKiB: memoryKiB(ctx, memoryNode),
    currentMemoryKiB: currentNode ? memoryKiB(ctx, currentNode) : undefined,
    vcpus: vcpuNode ? positiveInt(ctx, vcpuNode) : 1,
    os: {
      type: typeNode ? textOf(typeNode) : undefined,
      arch: typeNode ? attrsOf(typeNode).arch : undefined,
      machine: typeNode ? attrsOf(typeNode).machine : undefined,
      loader: osNode ? childText(osNode, "loader") : undefined,
      kernel: osNode ? childText(osNode, "kernel") : undefined,
      boot: osNode
        ? elements(osNode)
            .filter((c) => tagOf(c) === "boot")
            .flatMap((c) => attrsOf(c).dev ?? [])
        : [],
    },
    bootloader: childText(root, "bootloader"),
    bootloaderArgs: childText(root, "bootloader_args"),
    features: featuresNode ? elements(featuresNode).map(tagOf) : [],
    disks: [],
    removables: [],
    nics: [],
    graphics: [],
    warnings: ctx.warnings,
  };

  const devices = child(root, "devices");
  for (const node of devices ? elements(devices) : []) {
    const tag = tagOf(node);
    if (tag === "disk") readDisk(ctx, node, guest);
    else if (tag === "interface") readNic(ctx, node, guest);
    else if (tag === "graphics") readGraphics(ctx, node, guest);
  }
  if (guest.disks.length === 0) fail(ctx, startOf(devices ?? root), NO_STORAGE_MESSAGE, "NO_STORAGE");
  return guest;
}
