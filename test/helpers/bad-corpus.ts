// The bad-input corpus under test/fixtures/bad/xml: each case is a file (NAME.conf for a
// virt-v2v.conf, NAME.xml for a source domain XML) or a generator (NAME.generate.json, for
// what is too large to store), beside NAME.expected.txt, the first error it must produce.
// LISTENER_PORT in a case is replaced with the port of the test's own HTTP listener, which
// must never be contacted (nothing external is ever fetched).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export const BAD_XML_DIR = path.resolve(import.meta.dirname, "../fixtures/bad/xml");

export type BadXmlCase = {
  name: string;
  /** What the text is: a virt-v2v.conf or a source guest's domain XML. */
  kind: "conf" | "domain";
  /** The file name the parser is given (and the expected message starts with). */
  fileName: string;
  generated: boolean;
  /** The expected first error, `file:line:column: message`. */
  expected: string;
  /** The case's text; generated ones are built on each call (tens of MB: not kept). */
  text: (listenerPort: number) => string;
};

type Generator = { generate: "large"; megabytes: number } | { generate: "deep"; levels: number };

const MIB = 1024 * 1024;

// Well-formed, realistic content repeated to exactly the size asked for: the size alone refuses it.
function large(kind: BadXmlCase["kind"], chars: number): string {
  const [open, unit, close] =
    kind === "conf"
      ? ["<virt-v2v>\n", '  <app name="virtio" os="rhel" major="5"><path>rhel/5/kmod-virtio.rpm</path></app>\n', "</virt-v2v>\n"]
      : [
          "<domain type='kvm'>\n  <name>big</name>\n  <memory>1048576</memory>\n  <devices>\n",
          "    <disk type='file' device='disk'><source file='/var/lib/images/a.img'/><target dev='vda'/></disk>\n",
          "  </devices>\n</domain>\n",
        ];
  const body = chars - open.length - close.length;
  const count = Math.floor(body / unit.length);
  return open + unit.repeat(count) + " ".repeat(body - count * unit.length) + close;
}

function deep(kind: BadXmlCase["kind"], levels: number): string {
  const [open, close] = kind === "conf" ? ["<virt-v2v>", "</virt-v2v>"] : ["<domain type='kvm'>", "</domain>"];
  return open + "<a>".repeat(levels) + "</a>".repeat(levels) + close;
}

export function loadBadXmlCases(): BadXmlCase[] {
  const files = readdirSync(BAD_XML_DIR).sort();
  return files
    .filter((f) => /\.(conf|xml|generate\.json)$/.test(f))
    .map((f): BadXmlCase => {
      const generated = f.endsWith(".generate.json");
      const name = f.replace(/\.(conf|xml|generate\.json)$/, "");
      const kind = name.startsWith("conf-") ? "conf" : "domain";
      const fileName = generated ? `${name}.${kind === "conf" ? "conf" : "xml"}` : f;
      const expected = readFileSync(path.join(BAD_XML_DIR, `${name}.expected.txt`), "utf8").trimEnd();
      if (generated) {
        const spec = JSON.parse(readFileSync(path.join(BAD_XML_DIR, f), "utf8")) as Generator;
        const text = () => (spec.generate === "large" ? large(kind, spec.megabytes * MIB) : deep(kind, spec.levels));
        return { name, kind, fileName, generated, expected, text };
      }
      const raw = readFileSync(path.join(BAD_XML_DIR, f), "utf8");
      return { name, kind, fileName, generated, expected, text: (port) => raw.replaceAll("LISTENER_PORT", String(port)) };
    });
}

/** The first line of /etc/passwd on this machine: it must never appear in any answer. */
export function passwdFirstLine(): string {
  return readFileSync("/etc/passwd", "utf8").split("\n")[0] ?? "root:x:0:0";
}
