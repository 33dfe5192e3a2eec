// The bad XML corpus through the command line, as an administrator would meet it: `ferry plan`
// with a bad virt-v2v.conf (-f) or a bad domain XML file (-i libvirtxml). Each exits 1 with the
// corpus's message, prefixed by the file's path, no stack trace, and nothing fetched.
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCli } from "../../../server/cli/dispatch.ts";
import { nodeIo } from "../../../server/cli/io.ts";
import { loadBadXmlCases, passwdFirstLine } from "../../helpers/bad-corpus.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const DB = join(ROOT, "server/v2v/vendor/virt-v2v.db.xml");
const FACTS = join(ROOT, "test/fixtures/plan/rhel54-xen-only.facts.json");
const GOOD_XML = join(ROOT, "test/fixtures/domains/xen-pv-pygrub.xml");

const cases = loadBadXmlCases();
const hits: string[] = [];
let listener: Server;
let port = 0;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ferry-bad-cli-"));
  listener = createServer((req, res) => {
    hits.push(req.url ?? "?");
    res.end();
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  port = (listener.address() as AddressInfo).port;
});
afterAll(async () => new Promise<void>((resolve) => listener.close(() => resolve())));

async function ferry(...argv: string[]): Promise<{ status: number; stderr: string }> {
  let err = "";
  const io = { ...nodeIo(), stdout: () => {}, stderr: (t: string) => void (err += t) };
  const status = await runCli(argv, { io, version: "test" });
  return { status, stderr: err };
}

describe("ferry plan with the bad XML corpus", () => {
  test.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const file = join(dir, c.fileName);
    writeFileSync(file, c.text(port));
    const args =
      c.kind === "conf"
        ? ["plan", "-f", file, "-f", DB, "-i", "libvirtxml", GOOD_XML, "-o", "local", "-os", dir, "--guest", FACTS]
        : ["plan", "-f", DB, "-i", "libvirtxml", file, "-o", "local", "-os", dir, "--guest", FACTS];
    const r = await ferry(...args);
    expect(r.status).toBe(1);
    // The domain XML reader refuses a file over 16 MiB by its size, before reading it.
    const expected = c.name === "domain-50mb" ? `${file} is 52428800 bytes: not a libvirt domain XML file` : file + c.expected.slice(c.fileName.length);
    expect(r.stderr).toContain(expected);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toContain(passwdFirstLine());
  });

  test.each(["conf-billion-laughs", "conf-external-http", "domain-external-file", "domain-deep"])("ferry convert refuses %s the same way", async (name) => {
    const c = cases.find((x) => x.name === name)!;
    const file = join(dir, c.fileName);
    writeFileSync(file, c.text(port));
    const args = c.kind === "conf" ? ["convert", "-f", file, "-i", "libvirtxml", GOOD_XML, "-o", "local", "-os", dir] : ["convert", "-f", DB, "-i", "libvirtxml", file, "-o", "local", "-os", dir];
    const r = await ferry(...args);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(file + c.expected.slice(c.fileName.length));
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test("nothing was fetched", () => {
    expect(hits).toEqual([]);
  });
});
